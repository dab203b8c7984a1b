import Foundation
import TongbanCore

/// What `AuthorityWorkspace.sign` published: the manifest, its JWS as written to `DIR/manifest.jws`, and the
/// figures an operator checks (size, SHA-256 of the file).
public struct SignedManifest: Sendable {
    public let manifest: FederationManifest
    public let jws: String
    /// Where it was written.
    public let path: String
    /// Size of the file in bytes.
    public var bytes: Int { jws.utf8.count }
    /// Lowercase hex SHA-256 of the file, to compare with what the gateways fetched.
    public let sha256: String
}
