import Crypto
import Foundation
import TongbanCore
import TongbanGM
import X509

/// A province's message-signing key as `tongbanctl pki issue` makes it: a P-256 or Ed25519 key with its signing
/// certificate, or an SM2 key with its public key alone (the manifest carries it; see `SigningKeyType.sm2`).
public enum ProvinceSigningKey: Sendable {
    case certified(certificate: Certificate, key: Certificate.PrivateKey)
    case sm2(SM2PrivateKey)

    /// The signing certificate, when the key has one.
    public var certificate: Certificate? {
        if case .certified(let certificate, _) = self { return certificate }
        return nil
    }

    /// The RFC 9421 `keyid` peers know it by: the certificate's fingerprint, or the SHA-256 of an SM2 key's
    /// SubjectPublicKeyInfo.
    public var keyID: String {
        switch self {
        case .certified(let certificate, _): certificate.sha256Fingerprint
        case .sm2(let key): MemberSigningKey.keyID(spki: key.publicKey.derRepresentation)
        }
    }

    public var algorithm: String {
        switch self {
        case .certified(let certificate, _): P256.Signing.PublicKey(certificate.publicKey) != nil ? "ecdsa-p256-sha256" : "ed25519"
        case .sm2: "sm2-sm3"
        }
    }

    /// Its manifest entry, in force from `notBefore` to `notAfter`: the certificate's validity bounds a certified key;
    /// an SM2 key is in force from now for `validityDays` by default.
    public func manifestKey(notBefore: Date? = nil, notAfter: Date? = nil, validityDays: Int = 397,
                            now: Date = Date()) throws(TongbanError) -> MemberSigningKey {
        switch self {
        case .certified(let certificate, _):
            return try MemberSigningKey(certificate: certificate, notBefore: notBefore, notAfter: notAfter)
        case .sm2(let key):
            return MemberSigningKey(sm2: key.publicKey, notBefore: notBefore ?? now,
                                    notAfter: notAfter ?? now.addingTimeInterval(TimeInterval(validityDays) * 86_400))
        }
    }
}
