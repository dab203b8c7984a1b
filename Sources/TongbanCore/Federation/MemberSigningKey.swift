import Foundation

/// A member's message-signing key in the manifest. Peers verify its signatures with `publicKey` between
/// `notBefore` and `notAfter`, unless the key is revoked; the member signs with the newest key whose window has begun.
public struct MemberSigningKey: Codable, Sendable, Equatable {
    /// The RFC 9421 `keyid`: lowercase hex SHA-256 of the signing certificate the key was added from, or of the DER
    /// SubjectPublicKeyInfo of a key added without one (every SM2 key: `MemberSigningKey.keyID(spki:)`).
    public var kid: String
    /// RFC 9421 algorithm name: `ecdsa-p256-sha256`, `ed25519` or `sm2-sm3`.
    public var alg: String
    /// Base64 (standard, padded) DER SubjectPublicKeyInfo.
    public var publicKey: String
    public var notBefore: Date
    public var notAfter: Date

    public init(kid: String, alg: String, publicKey: String, notBefore: Date, notAfter: Date) {
        self.kid = kid
        self.alg = alg
        self.publicKey = publicKey
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    public func isInForce(at time: Date) -> Bool { notBefore <= time && time < notAfter }
}
