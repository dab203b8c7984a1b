/// Where a correction (校核纠错) stands. `submitted` is the only state that moves; the others are final
/// (docs/workflows.md, "Corrections"). Overdue is not a state: a submitted correction past its due date.
public enum CorrectionState: String, Codable, Sendable, CaseIterable {
    /// Received by the provider, waiting for its outcome.
    case submitted
    /// The provider changed the record's field (checked against the record) and said so, with a reason.
    case corrected
    /// The provider kept the record as it is, with a reason.
    case rejected
    /// The requester took it back before an outcome.
    case withdrawn

    public var isFinal: Bool { self != .submitted }
}
