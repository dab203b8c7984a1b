import Foundation

/// The provider's `201` to a correction: received when, and the last day of its answer.
public struct CorrectionReceipt: Codable, Sendable, Equatable {
    public var id: String
    public var state: CorrectionState
    public var receivedAt: Date
    /// `corrections.answerWorkingDays` working days after the day received (China date).
    public var dueDate: CalendarDay
    /// Set when the provider's working-day calendar did not cover every day counted.
    public var calendarWarning: String?

    public init(id: String, state: CorrectionState, receivedAt: Date, dueDate: CalendarDay, calendarWarning: String?) {
        self.id = id
        self.state = state
        self.receivedAt = receivedAt
        self.dueDate = dueDate
        self.calendarWarning = calendarWarning
    }
}
