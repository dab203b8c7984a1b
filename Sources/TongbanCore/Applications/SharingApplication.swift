import Foundation

/// A sharing application (共享申请) as a gateway keeps it, on either side: the provider's record, which it decides,
/// and the requester's mirror of it, which follows the provider's updates. Both have the same id.
public struct SharingApplication: Codable, Sendable, Equatable {
    public var id: String
    public var direction: ApplicationDirection
    /// The other province: the requester for an incoming application, the provider for an outgoing one.
    public var peer: String
    public var resource: String
    public var matter: String
    /// The fields asked for, resolved at submission.
    public var fields: [String]
    public var purpose: String
    public var basis: String
    public var days: Int
    public var contact: String
    public var requester: Requester
    public var state: ApplicationState
    /// When the provider received it.
    public var receivedAt: Date
    /// The last day for the provider's answer (China date); overdue from the next day while still submitted.
    public var dueDate: CalendarDay
    public var expiresAt: Date
    /// The working-day calendar's warning when it did not cover every day the due date counted.
    public var calendarWarning: String?
    public var decidedAt: Date?
    public var reason: String?
    public var grant: Grant?
    /// The operator who approved, refused or withdrew it, on the side where it was done.
    public var decidedBy: String?
    /// Provider side: when the requester acknowledged the decision (pushed, or pulled).
    public var deliveredAt: Date?
    /// SHA-256 (hex) of the submission as signed and sent: the audit entries carry it too, so the purpose and the
    /// basis on record can be checked against the audit chain.
    public var documentDigest: String

    public init(id: String, direction: ApplicationDirection, peer: String, submission: ApplicationSubmission, fields: [String],
                receivedAt: Date, dueDate: CalendarDay, expiresAt: Date, calendarWarning: String?, documentDigest: String) {
        self.id = id
        self.direction = direction
        self.peer = peer
        self.resource = submission.resource
        self.matter = submission.matter
        self.fields = fields
        self.purpose = submission.purpose
        self.basis = submission.basis
        self.days = submission.days
        self.contact = submission.contact
        self.requester = submission.requester
        self.state = .submitted
        self.receivedAt = receivedAt
        self.dueDate = dueDate
        self.expiresAt = expiresAt
        self.calendarWarning = calendarWarning
        self.documentDigest = documentDigest
    }

    /// Still waiting for a decision after its due date (`today` is a China date).
    public func isOverdue(today: CalendarDay) -> Bool { state == .submitted && dueDate < today }

    /// What the provider tells the requester about it.
    public var update: ApplicationUpdate {
        ApplicationUpdate(id: id, state: state, decidedAt: decidedAt, reason: reason, grant: grant)
    }

    /// The submission as the requester sent it (the fields resolved).
    public var submission: ApplicationSubmission {
        ApplicationSubmission(id: id, resource: resource, matter: matter, fields: fields, purpose: purpose, basis: basis, days: days,
                              contact: contact, requester: requester)
    }
}
