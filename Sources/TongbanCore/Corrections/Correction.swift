import Foundation

/// A correction (校核纠错) as a gateway keeps it, on either side: the provider's record, which it resolves, and the
/// requester's mirror of it, which follows the provider's updates. Both have the same id. `subject`, `seen`,
/// `claimed` and `valueAtReceipt` are personal data: in the store, shown to the administrators, never logged.
public struct Correction: Codable, Sendable, Equatable {
    public var id: String
    public var direction: CorrectionDirection
    /// The other province: the requester for an incoming correction, the provider for an outgoing one.
    public var peer: String
    public var resource: String
    /// The record's subject, in the provider's 18-character form.
    public var subject: String
    public var field: String
    public var seen: String
    public var claimed: String
    public var evidence: String
    public var requester: Requester
    public var state: CorrectionState
    /// When the provider received it.
    public var receivedAt: Date
    /// The last day of the provider's answer (China date); overdue from the next day while still submitted.
    public var dueDate: CalendarDay
    public var calendarWarning: String?
    /// Provider side: the field's value in the store when the correction arrived (canonical JSON; nil when the record or
    /// the field was absent). `corrected` needs a value different from it, written after `receivedAt`.
    public var valueAtReceipt: String?
    public var resolvedAt: Date?
    public var reason: String?
    /// The operator who resolved or withdrew it, on the side where it was done.
    public var resolvedBy: String?
    /// Provider side, `corrected`: when the record's change that the outcome rests on was written (its `updated_at`).
    public var recordChangedAt: Date?
    /// Provider side: when the requester acknowledged the outcome (pushed, or pulled).
    public var deliveredAt: Date?
    /// SHA-256 (hex) of the submission as signed and sent: what the requester asked, checkable against both stores.
    public var documentDigest: String

    public init(id: String, direction: CorrectionDirection, peer: String, submission: CorrectionSubmission, subject: String, receivedAt: Date,
                dueDate: CalendarDay, calendarWarning: String?, valueAtReceipt: String?, documentDigest: String) {
        self.id = id
        self.direction = direction
        self.peer = peer
        self.resource = submission.resource
        self.subject = subject
        self.field = submission.field
        self.seen = submission.seen
        self.claimed = submission.claimed
        self.evidence = submission.evidence
        self.requester = submission.requester
        self.state = .submitted
        self.receivedAt = receivedAt
        self.dueDate = dueDate
        self.calendarWarning = calendarWarning
        self.valueAtReceipt = valueAtReceipt
        self.documentDigest = documentDigest
    }

    /// Still waiting for its outcome after its due date (`today` is a China date).
    public func isOverdue(today: CalendarDay) -> Bool { state == .submitted && dueDate < today }

    /// What the provider tells the requester about it.
    public var update: CorrectionUpdate { CorrectionUpdate(id: id, state: state, resolvedAt: resolvedAt, reason: reason) }

    /// The submission as the requester sent it (the subject as the provider stores it).
    public var submission: CorrectionSubmission {
        CorrectionSubmission(id: id, resource: resource, subject: subject, field: field, seen: seen, claimed: claimed, evidence: evidence,
                             requester: requester)
    }
}
