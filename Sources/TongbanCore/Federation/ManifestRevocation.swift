import Foundation

/// A signing key or a certificate the authority has withdrawn, with when and why.
public struct ManifestRevocation: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// `id` is a signing key's `kid`.
        case key
        /// `id` is a certificate's serial number, lowercase hex without separators.
        case certificate
    }

    public var kind: Kind
    public var id: String
    /// Effective from this time.
    public var at: Date
    public var reason: String

    public init(kind: Kind, id: String, at: Date, reason: String) {
        self.kind = kind
        self.id = id
        self.at = at
        self.reason = reason
    }
}
