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

    /// A certificate serial as revocations name it and admission compares it: lowercase hex, no colons, no leading
    /// zeros (`0` for zero; empty stays empty, for the rules to refuse).
    public static func normalizedSerial(_ serial: String) -> String {
        let lower = serial.lowercased().filter { $0 != ":" }
        let trimmed = lower.drop { $0 == "0" }
        return trimmed.isEmpty ? (lower.isEmpty ? "" : "0") : String(trimmed)
    }

    public init(kind: Kind, id: String, at: Date, reason: String) {
        self.kind = kind
        self.id = id
        self.at = at
        self.reason = reason
    }
}
