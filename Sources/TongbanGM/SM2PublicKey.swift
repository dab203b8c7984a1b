internal import CTongbanGM
import Foundation
import TongbanCore

/// An SM2 public key on the recommended curve. Verifies SM2 signatures with SM3 and a distinguishing ID.
public struct SM2PublicKey: Sendable, Hashable {
    let key: OpenSSLKey
    /// The key's SubjectPublicKeyInfo (DER), the form the federation manifest carries.
    public let derRepresentation: [UInt8]

    /// A key from SubjectPublicKeyInfo DER. Throws `.pkiInvalid` unless it is an SM2 key.
    public init(spki der: some DataProtocol) throws {
        guard let pointer = LibCrypto.withBytes(der, { tb_gm_sm2_public_from_spki($0, $1) }) else {
            throw LibCrypto.error(.pkiInvalid, "not an SM2 SubjectPublicKeyInfo")
        }
        key = OpenSSLKey(pointer)
        derRepresentation = try key.subjectPublicKeyInfo()
    }

    /// A key from PEM (`-----BEGIN PUBLIC KEY-----`). Throws `.pkiInvalid` unless it is an SM2 key.
    public init(pem: String) throws {
        let bytes = Array(pem.utf8)
        guard let pointer = bytes.withUnsafeBufferPointer({ buffer in
            buffer.withMemoryRebound(to: CChar.self) { tb_gm_sm2_public_from_pem($0.baseAddress, $0.count) }
        }) else {
            throw LibCrypto.error(.pkiInvalid, "not an SM2 public key in PEM")
        }
        key = OpenSSLKey(pointer)
        derRepresentation = try key.subjectPublicKeyInfo()
    }

    /// The key as PEM (`-----BEGIN PUBLIC KEY-----`).
    public var pemRepresentation: String {
        let base64 = Data(derRepresentation).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN PUBLIC KEY-----\n\(base64)\n-----END PUBLIC KEY-----\n"
    }

    /// Whether `signature` (raw `r ‖ s`, 64 bytes) is an SM2 signature of `message` under this key and ID.
    public func isValidSignature(
        _ signature: some DataProtocol, for message: some DataProtocol, distinguishingID: [UInt8] = SM2.defaultID
    ) -> Bool {
        guard let der = try? SM2.derSignature(fromRaw: signature) else { return false }
        return isValidDERSignature(der, for: message, distinguishingID: distinguishingID)
    }

    /// Whether `signature` (DER, as `openssl pkeyutl -sign` writes it) is an SM2 signature of `message` under this
    /// key and ID.
    public func isValidDERSignature(
        _ signature: some DataProtocol, for message: some DataProtocol, distinguishingID: [UInt8] = SM2.defaultID
    ) -> Bool {
        let result = LibCrypto.withBytes(distinguishingID) { id, idCount in
            LibCrypto.withBytes(message) { bytes, count in
                LibCrypto.withBytes(signature) { signatureBytes, signatureCount in
                    tb_gm_sm2_verify(key.pointer, id, idCount, bytes, count, signatureBytes, signatureCount)
                }
            }
        }
        return result == 1
    }

    public static func == (lhs: SM2PublicKey, rhs: SM2PublicKey) -> Bool { lhs.derRepresentation == rhs.derRepresentation }
    public func hash(into hasher: inout Hasher) { hasher.combine(derRepresentation) }
}
