/// How the audit chain hashes its entries and digests subjects (`audit.hash`): SHA-256 and HMAC-SHA256, or the
/// national algorithms SM3 and HMAC-SM3 (GB/T 32905). Each entry records its algorithm (`AuditEntry.hashAlgorithm`),
/// so a switch starts a new segment of the same chain and `audit verify` checks each entry with its own.
public enum AuditHashAlgorithm: String, Sendable, CaseIterable, Codable {
    case sha256
    case sm3

    /// The name an entry records: none for SHA-256 (every entry written before the choice existed), `sm3` for SM3.
    public var entryLabel: String? { self == .sha256 ? nil : rawValue }

    /// The algorithm an entry's label names; nil for a label this version does not know.
    public init?(entryLabel: String?) {
        guard let label = entryLabel else {
            self = .sha256
            return
        }
        self.init(rawValue: label)
    }
}
