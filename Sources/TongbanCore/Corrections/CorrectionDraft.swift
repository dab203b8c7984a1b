/// What `tongbanctl correction request` and a department system on the local API ask their own gateway to send: a
/// submission without its id (the gateway makes it) and the province that holds the record.
public struct CorrectionDraft: Codable, Sendable, Equatable {
    public var peer: String
    public var resource: String
    public var subject: String
    public var field: String
    public var seen: String
    public var claimed: String
    public var evidence: String
    public var requester: Requester

    public init(peer: String, resource: String, subject: String, field: String, seen: String, claimed: String, evidence: String,
                requester: Requester) {
        self.peer = peer
        self.resource = resource
        self.subject = subject
        self.field = field
        self.seen = seen
        self.claimed = claimed
        self.evidence = evidence
        self.requester = requester
    }

    public func submission(id: String) -> CorrectionSubmission {
        CorrectionSubmission(id: id, resource: resource, subject: subject.uppercased(), field: field, seen: seen, claimed: claimed,
                             evidence: evidence, requester: requester)
    }
}
