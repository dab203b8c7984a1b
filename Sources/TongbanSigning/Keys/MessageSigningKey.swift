import Crypto
import Foundation
import TongbanCore
import TongbanGM

/// A private key that signs signature bases: the province's signing key.
public enum MessageSigningKey: Sendable {
    case p256(P256.Signing.PrivateKey)
    case ed25519(Curve25519.Signing.PrivateKey)
    /// An SM2 key and the federation's distinguishing ID (GM/T 0009 `ID_A`: `FederationProtocolSettings.sm2ID`).
    case sm2(SM2PrivateKey, distinguishingID: [UInt8] = SM2.defaultID)

    public var algorithm: SignatureAlgorithm {
        switch self {
        case .p256: .ecdsaP256SHA256
        case .ed25519: .ed25519
        case .sm2: .sm2SM3
        }
    }

    public var verificationKey: MessageVerificationKey {
        switch self {
        case .p256(let key): .p256(key.publicKey)
        case .ed25519(let key): .ed25519(key.publicKey)
        case .sm2(let key, let id): .sm2(key.publicKey, distinguishingID: id)
        }
    }

    /// The key with `id` as its SM2 distinguishing ID (the federation's); a P-256 or Ed25519 key as it is.
    public func withSM2ID(_ id: [UInt8]) -> MessageSigningKey {
        guard case .sm2(let key, let current) = self, current != id else { return self }
        return .sm2(key, distinguishingID: id)
    }

    public func sign(_ base: String) throws -> [UInt8] {
        let data = Data(base.utf8)
        switch self {
        case .p256(let key): return Array(try key.signature(for: data).rawRepresentation)
        case .ed25519(let key): return Array(try key.signature(for: data))
        case .sm2(let key, let id): return try key.sign(data, distinguishingID: id)
        }
    }

    /// Reads a PEM private key: P-256 as PKCS#8 or SEC1 (`EC PRIVATE KEY`), Ed25519 as PKCS#8, SM2 as either.
    public init(pem: String) throws(TongbanError) {
        // SM2 first: swift-crypto's P-256 reader takes an SM2 key's scalar without looking at its curve, and would
        // make it a P-256 key; the system OpenSSL's reader accepts SM2 keys only.
        if let key = try? SM2PrivateKey(pem: pem) {
            self = .sm2(key)
            return
        }
        if let key = try? P256.Signing.PrivateKey(pemRepresentation: pem) {
            self = .p256(key)
            return
        }
        // Ed25519 PKCS#8 (RFC 8410): a fixed 16-byte prefix, then the 32-byte seed.
        let body = pem.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined()  // "\r\n" too: one Character
        let prefix: [UInt8] = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]
        if pem.contains("BEGIN PRIVATE KEY"), let der = Data(base64Encoded: body), der.count == 48, Array(der.prefix(16)) == prefix,
           let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: der.suffix(32)) {
            self = .ed25519(key)
            return
        }
        throw TongbanError(.pkiInvalid, "not a P-256, Ed25519 or SM2 private key in PEM")
    }
}
