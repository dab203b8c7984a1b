import TongbanCore
import TongbanSigning
import X509

/// A peer's identity document whose signing certificate chains to the federation root, has the signing
/// usage and names the expected province.
public struct VerifiedIdentity: Sendable {
    public let document: IdentityDocument
    public let certificate: Certificate
    public let key: MessageVerificationKey
    /// Lowercase hex SHA-256 of the signing certificate's DER.
    public let keyID: String
}
