import Crypto
import Foundation
import TongbanGM
import X509

/// A public key that checks signatures: a peer's signing key, taken from its signing certificate.
public enum MessageVerificationKey: Sendable {
    case p256(P256.Signing.PublicKey)
    case ed25519(Curve25519.Signing.PublicKey)
    /// An SM2 key: it travels in the manifest as its SubjectPublicKeyInfo (no X.509 certificate).
    case sm2(SM2PublicKey, distinguishingID: [UInt8] = SM2.defaultID)

    /// The key of `certificate`, when it is P-256 or Ed25519.
    public init?(_ certificate: Certificate) {
        if let key = P256.Signing.PublicKey(certificate.publicKey) {
            self = .p256(key)
        } else if let key = Curve25519.Signing.PublicKey(certificate.publicKey) {
            self = .ed25519(key)
        } else {
            return nil
        }
    }

    public var algorithm: SignatureAlgorithm {
        switch self {
        case .p256: .ecdsaP256SHA256
        case .ed25519: .ed25519
        case .sm2: .sm2SM3
        }
    }

    /// The key's DER SubjectPublicKeyInfo.
    public var subjectPublicKeyInfo: [UInt8] {
        switch self {
        case .p256(let key): Array(key.derRepresentation)
        case .ed25519(let key): Self.ed25519SPKIPrefix + Array(key.rawRepresentation)
        case .sm2(let key, _): key.derRepresentation
        }
    }

    /// RFC 8410's SubjectPublicKeyInfo of an Ed25519 key, before its 32 bytes.
    static let ed25519SPKIPrefix: [UInt8] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]

    public func isValid(_ signature: [UInt8], for base: String) -> Bool {
        let data = Data(base.utf8)
        switch self {
        case .p256(let key):
            guard let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: data)
        case .ed25519(let key):
            return key.isValidSignature(signature, for: data)
        case .sm2(let key, let id):
            return key.isValidSignature(signature, for: data, distinguishingID: id)
        }
    }
}
