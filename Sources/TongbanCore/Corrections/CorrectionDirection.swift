/// Which side of a correction this gateway is on.
public enum CorrectionDirection: String, Codable, Sendable, CaseIterable {
    /// A peer flagged one of this province's records (this gateway provides the record, and resolves).
    case incoming
    /// This province flagged a peer's record (this gateway mirrors the provider's outcome).
    case outgoing
}
