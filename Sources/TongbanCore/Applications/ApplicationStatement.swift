/// A refusal's reason (`applications refuse`, required) or a withdrawal's (`applications withdraw`, optional),
/// and who gave it.
public struct ApplicationStatement: Codable, Sendable, Equatable {
    public var reason: String?
    public var operatorId: String

    public init(reason: String?, operatorId: String) {
        self.reason = reason
        self.operatorId = operatorId
    }
}
