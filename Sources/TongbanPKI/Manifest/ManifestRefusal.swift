/// Why a signed manifest was not accepted: the kind (a metric label and a log key) and the details.
public struct ManifestRefusal: Error, Sendable, Equatable {
    public enum Reason: String, Sendable, CaseIterable {
        /// Not a compact JWS, a bad header, a payload that is not a manifest or breaks the rules.
        case malformed
        /// The signature does not verify, or another algorithm than ES256.
        case signature
        /// Signed by a certificate that is not the federation authority's under this federation's roots.
        case foreign
        /// The manifest of another federation.
        case federation
        /// A lower serial than the one in force.
        case rollback
        /// Already past its `expiresAt`.
        case expired
    }

    public var reason: Reason
    public var message: String

    public init(reason: Reason, message: String) {
        self.reason = reason
        self.message = message
    }
}
