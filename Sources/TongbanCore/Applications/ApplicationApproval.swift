/// `tongbanctl applications approve`: the grant to make, within what was asked for. Nil members take the
/// application's own (its fields, its days); `clearFields` are sensitive fields granted unmasked.
public struct ApplicationApproval: Codable, Sendable, Equatable {
    public var fields: [String]?
    public var clearFields: [String]
    public var days: Int?
    /// Who decided, for the audit.
    public var operatorId: String

    public init(fields: [String]? = nil, clearFields: [String] = [], days: Int? = nil, operatorId: String) {
        self.fields = fields
        self.clearFields = clearFields
        self.days = days
        self.operatorId = operatorId
    }
}
