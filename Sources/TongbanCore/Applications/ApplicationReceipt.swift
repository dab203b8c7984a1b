import Foundation

/// The provider's `201` to a submission: the application as it stands there, with its due date.
public struct ApplicationReceipt: Codable, Sendable, Equatable {
    public var id: String
    public var state: ApplicationState
    public var receivedAt: Date
    /// The last day of the provider's answer: `applications.answerWorkingDays` working days after the day received.
    public var dueDate: CalendarDay
    /// When the application expires if still undecided (received + the days asked for).
    public var expiresAt: Date
    /// The fields asked for, resolved (every field the matter needs when none were named).
    public var fields: [String]
    /// Set when the provider's working-day calendar did not cover every day counted: the due date may be off.
    public var calendarWarning: String?

    public init(id: String, state: ApplicationState, receivedAt: Date, dueDate: CalendarDay, expiresAt: Date, fields: [String],
                calendarWarning: String?) {
        self.id = id
        self.state = state
        self.receivedAt = receivedAt
        self.dueDate = dueDate
        self.expiresAt = expiresAt
        self.fields = fields
        self.calendarWarning = calendarWarning
    }
}
