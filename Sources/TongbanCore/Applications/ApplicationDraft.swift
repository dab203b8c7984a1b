/// What `tongbanctl apply` and a department system on the local API ask their own gateway to submit: a submission
/// without its id (the gateway makes it) and the province to apply to.
public struct ApplicationDraft: Codable, Sendable, Equatable {
    public var peer: String
    public var resource: String
    public var matter: String
    public var fields: [String]
    public var purpose: String
    public var basis: String
    public var days: Int
    public var contact: String
    public var requester: Requester

    public init(peer: String, resource: String, matter: String, fields: [String], purpose: String, basis: String, days: Int,
                contact: String, requester: Requester) {
        self.peer = peer
        self.resource = resource
        self.matter = matter
        self.fields = fields
        self.purpose = purpose
        self.basis = basis
        self.days = days
        self.contact = contact
        self.requester = requester
    }

    public func submission(id: String) -> ApplicationSubmission {
        ApplicationSubmission(id: id, resource: resource, matter: matter, fields: fields, purpose: purpose, basis: basis, days: days,
                              contact: contact, requester: requester)
    }
}
