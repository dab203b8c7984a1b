internal import CTongbanGM
import Foundation
import TongbanCore

/// An SM2 private key on the recommended curve. Signs with SM3 and a distinguishing ID (GM/T 0003.2, GM/T 0009).
public struct SM2PrivateKey: Sendable {
    let key: OpenSSLKey
    /// The matching public key.
    public let publicKey: SM2PublicKey

    /// A new random key pair.
    public init() throws {
        guard let pointer = tb_gm_sm2_generate() else {
            throw LibCrypto.error(.internalError, "cannot generate an SM2 key")
        }
        try self.init(OpenSSLKey(pointer))
    }

    /// A key from PEM: PKCS#8 (`PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`), unencrypted. Throws `.pkiInvalid` unless it
    /// is an SM2 key.
    public init(pem: String) throws {
        let bytes = Array(pem.utf8)
        guard let pointer = bytes.withUnsafeBufferPointer({ buffer in
            buffer.withMemoryRebound(to: CChar.self) { tb_gm_sm2_private_from_pem($0.baseAddress, $0.count) }
        }) else {
            throw LibCrypto.error(.pkiInvalid, "not an SM2 private key in PEM")
        }
        try self.init(OpenSSLKey(pointer))
    }

    private init(_ key: OpenSSLKey) throws {
        self.key = key
        publicKey = try SM2PublicKey(spki: key.subjectPublicKeyInfo())
    }

    /// The key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), unencrypted.
    public var pemRepresentation: String {
        var length = 0
        guard let pem = tb_gm_private_pem(key.pointer, &length) else {
            // Encoding a key this type made fails only when memory runs out.
            fatalError("\(LibCrypto.error(.internalError, "cannot encode an SM2 private key"))")
        }
        return String(decoding: LibCrypto.take(pem, count: length), as: UTF8.self)
    }

    /// The SM2 signature of `message` as raw `r ‖ s` (64 bytes).
    public func sign(_ message: some DataProtocol, distinguishingID: [UInt8] = SM2.defaultID) throws -> [UInt8] {
        try SM2.rawSignature(fromDER: derSignature(message, distinguishingID: distinguishingID))
    }

    /// The SM2 signature of `message` in DER, as `openssl pkeyutl -sign` writes it.
    public func derSignature(_ message: some DataProtocol, distinguishingID: [UInt8] = SM2.defaultID) throws -> [UInt8] {
        var signature = [UInt8](repeating: 0, count: Int(TB_GM_SM2_DER_SIGNATURE_MAX))
        var length = 0
        let ok = LibCrypto.withBytes(distinguishingID) { id, idCount in
            LibCrypto.withBytes(message) { bytes, count in
                tb_gm_sm2_sign(key.pointer, id, idCount, bytes, count, &signature, &length)
            }
        }
        guard ok == 1 else { throw LibCrypto.error(.internalError, "SM2 signing failed") }
        return Array(signature.prefix(length))
    }
}
