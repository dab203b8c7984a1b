/// One line of the State Council's holiday arrangements (放假调休安排): a day that does not follow the weekend rule.
public struct DayArrangement: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// A day off, even on a weekday (法定节假日 and the days joined to it).
        case holiday
        /// A Saturday or Sunday that is worked (调休上班).
        case workday
    }

    public let day: CalendarDay
    public let kind: Kind
    /// The occasion, as the notice names it (国庆节, 春节调休上班).
    public let name: String

    public init(day: CalendarDay, kind: Kind, name: String) {
        self.day = day
        self.kind = kind
        self.name = name
    }
}
