import Foundation

/// `POST /v1/corrections` on the provider's peer listener: a field of one of its records that the requesting
/// province holds wrong. `subject`, `seen` and `claimed` are personal data: kept in both stores (the provider must act
/// on them), never logged, and in the audit only as the subject's HMAC digest.
public struct CorrectionSubmission: Codable, Sendable, Equatable {
    /// Made by the requesting gateway (`CorrectionID`).
    public var id: String
    public var resource: String
    /// The record's subject (a citizen ID number).
    public var subject: String
    public var field: String
    /// The value the requester received.
    public var seen: String
    /// The value the requester holds to be right.
    public var claimed: String
    /// Why: the document or fact that shows the value is wrong (a certificate number, a court decision…).
    public var evidence: String
    public var requester: Requester

    public init(id: String, resource: String, subject: String, field: String, seen: String, claimed: String, evidence: String,
                requester: Requester) {
        self.id = id
        self.resource = resource
        self.subject = subject
        self.field = field
        self.seen = seen
        self.claimed = claimed
        self.evidence = evidence
        self.requester = requester
    }

    /// Longest seen value, claimed value, evidence or reason, in characters.
    public static let maximumText = 2000
}
