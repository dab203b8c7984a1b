/// A withdrawal's reason (optional) and who withdrew (`tongbanctl corrections withdraw`).
public struct CorrectionStatement: Codable, Sendable, Equatable {
    public var reason: String?
    public var operatorId: String

    public init(reason: String?, operatorId: String) {
        self.reason = reason
        self.operatorId = operatorId
    }
}
