/// `tongbanctl corrections resolve`: the outcome, its reason (required) and who decided.
public struct CorrectionResolution: Codable, Sendable, Equatable {
    public var outcome: CorrectionOutcome
    public var reason: String
    public var operatorId: String

    public init(outcome: CorrectionOutcome, reason: String, operatorId: String) {
        self.outcome = outcome
        self.reason = reason
        self.operatorId = operatorId
    }
}
