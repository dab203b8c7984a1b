import TongbanCore
import X509

/// A manifest whose signature, signer and rules have been checked, with the JWS it came in (kept as the last
/// good copy and served to peers byte for byte).
public struct VerifiedManifest: Sendable {
    public let manifest: FederationManifest
    public let jws: String
    public let authority: Certificate
}
