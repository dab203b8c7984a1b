/// Where a sharing application (共享申请) stands. `submitted` is the only state that moves; the four others are
/// final (docs/workflows.md, "Applications").
public enum ApplicationState: String, Codable, Sendable, CaseIterable {
    /// Received by the provider, waiting for its decision (overdue once past its due date, still submitted).
    case submitted
    /// The provider approved it; the grant it made is linked.
    case approved
    /// The provider refused it, with a reason.
    case refused
    /// The requester withdrew it before a decision.
    case withdrawn
    /// The period the requester asked for passed without a decision: nothing could be granted for it any more.
    case expired

    public var isFinal: Bool { self != .submitted }
}
