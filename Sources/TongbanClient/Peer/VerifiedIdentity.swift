import TongbanCore
import TongbanSigning
import X509

/// A peer's identity document whose signing certificate chains to the federation root, has the signing
/// usage and names the expected province.
public struct VerifiedIdentity: Sendable {
    public let document: IdentityDocument
    /// The signing certificate, when the key has one (an SM2 key has none).
    public let certificate: Certificate?
    public let key: MessageVerificationKey
    /// The key's RFC 9421 `keyid` in the manifest (a certificate's fingerprint, or an SM2 key's SPKI hash).
    public let keyID: String
}
