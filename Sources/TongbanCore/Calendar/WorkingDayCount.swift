/// The answer of `WorkdayCalendar.addingWorkingDays(_:to:)`: the day reached, and whether the calendar knew
/// every day it had to look at.
public struct WorkingDayCount: Hashable, Sendable, Codable {
    /// The day counted from (not itself counted).
    public let start: CalendarDay
    /// How many working days were counted (negative: backwards).
    public let workingDays: Int
    /// The day reached: the due date.
    public let day: CalendarDay
    /// Years of the days looked at, after `start` up to `day`, that the calendar does not cover, in order.
    /// For those days only the weekend rule was applied, so the answer may miss a holiday: a warning, not an error.
    public let uncoveredYears: [Int]

    public init(start: CalendarDay, workingDays: Int, day: CalendarDay, uncoveredYears: [Int]) {
        self.start = start
        self.workingDays = workingDays
        self.day = day
        self.uncoveredYears = uncoveredYears
    }

    /// Every day looked at was in a year the calendar covers.
    public var isCovered: Bool { uncoveredYears.isEmpty }

    /// What to tell the user when a year was not covered ("the calendar does not cover 2027; weekends only were
    /// assumed"), or nil.
    public var warning: String? { WorkdayCalendar.uncoveredWarning(uncoveredYears) }
}
