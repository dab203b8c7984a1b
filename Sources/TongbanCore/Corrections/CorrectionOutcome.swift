/// The provider's outcome of a correction (`tongbanctl corrections resolve --outcome`).
public enum CorrectionOutcome: String, Codable, Sendable, CaseIterable {
    case corrected
    case rejected

    public var state: CorrectionState { self == .corrected ? .corrected : .rejected }
}
