/// `tongbanctl grant add`: the grant to create (the id and times are filled in by the gateway).
public struct GrantRequest: Codable, Sendable, Equatable {
    public var peer: String
    public var resource: String
    public var matter: String
    public var fields: [String]
    public var clearFields: [String]
    public var days: Int

    public init(peer: String, resource: String, matter: String, fields: [String], clearFields: [String], days: Int) {
        self.peer = peer
        self.resource = resource
        self.matter = matter
        self.fields = fields
        self.clearFields = clearFields
        self.days = days
    }
}
