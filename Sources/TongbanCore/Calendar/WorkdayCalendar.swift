import Foundation

/// China's national working-day calendar: which days the deadlines of the sharing workflows count.
///
/// The rule: Saturday and Sunday are days off and every other day is worked, except for the State Council's
/// holiday arrangements (放假调休安排), published each November for the next year: a `holiday` is off even on a
/// weekday, a `workday` is a worked Saturday or Sunday (调休上班). The calendar covers the years that appear in its
/// file; on days of any other year only the weekend rule applies, and every answer that looked at such a day
/// says which years (`WorkingDayCount.uncoveredYears`), so callers warn instead of silently missing a holiday.
///
/// `bundled` is the arrangements shipped in the binary (`cn-workday-calendar.tsv`, 2025 and 2026);
/// `init(contentsOf:)` reads an operator's newer file of the same format (docs/workflows.md, "Working days").
public struct WorkdayCalendar: Hashable, Sendable {
    /// The arrangements, by day.
    public let arrangements: [CalendarDay: DayArrangement]
    /// The years the file lists any day of, in order.
    public let coveredYears: [Int]
    /// Where the calendar was read from, for messages (a path, or the bundled file's name).
    public let source: String

    /// Built from arrangements already checked (`init(tsv:source:)` parses and checks a file).
    init(arrangements: [CalendarDay: DayArrangement], source: String) {
        self.arrangements = arrangements
        self.coveredYears = Set(arrangements.keys.map(\.year)).sorted()
        self.source = source
    }

    /// The arrangements shipped with Tongban (`Calendar/cn-workday-calendar.tsv`, embedded by `make calendar`).
    public static let bundled: WorkdayCalendar = {
        do {
            return try WorkdayCalendar(tsv: embeddedTSV, source: "cn-workday-calendar.tsv (bundled)")
        } catch {
            fatalError("the bundled working-day calendar does not parse: \(error)")  // A test parses it on every build.
        }
    }()

    /// Whether the file lists arrangements for `year`.
    public func covers(year: Int) -> Bool { coveredYears.contains(year) }

    /// Whether `day` is worked: its arrangement if it has one, else Monday to Friday. On a day of a year the
    /// calendar does not cover, that is the weekend rule alone (check `covers(year:)`).
    public func isWorkingDay(_ day: CalendarDay) -> Bool {
        switch arrangements[day]?.kind {
        case .holiday: false
        case .workday: true
        case nil: !day.isWeekend
        }
    }

    /// The due date of "within `n` working days from `day`": the `n`-th working day after `day`.
    ///
    /// `day` itself is never counted, whether or not it is a working day: an application received on a Friday
    /// with 1 working day to answer is due the next working day (usually Monday), and so is one received on a
    /// Saturday or a holiday. The due date is always a working day, except for `n` = 0, which answers `day`
    /// itself without looking at the calendar. A negative `n` counts backwards: the `|n|`-th working day before
    /// `day`. The count walks day by day, so `n` is meant to be a deadline (tens of days), not thousands.
    ///
    /// The answer lists the years of the days it looked at (after `day`, up to the due date) that the calendar
    /// does not cover; the weekend rule alone decided those days.
    public func addingWorkingDays(_ n: Int, to day: CalendarDay) -> WorkingDayCount {
        let step = n < 0 ? -1 : 1
        var current = day, remaining = n.magnitude, uncovered = Set<Int>()
        while remaining > 0 {
            current = current.adding(days: step)
            if !covers(year: current.year) { uncovered.insert(current.year) }
            if isWorkingDay(current) { remaining -= 1 }
        }
        return WorkingDayCount(start: day, workingDays: n, day: current, uncoveredYears: uncovered.sorted())
    }

    /// The arrangements of one year, in date order (none for a year the calendar does not cover).
    public func arrangements(in year: Int) -> [DayArrangement] {
        arrangements.values.filter { $0.day.year == year }.sorted { $0.day < $1.day }
    }

    /// How many days of `year` are worked (for a year not covered, by the weekend rule alone).
    public func workingDays(inYear year: Int) -> Int {
        guard let first = CalendarDay(year: year, month: 1, day: 1), let last = CalendarDay(year: year, month: 12, day: 31) else { return 0 }
        return (0...(last.dayNumber - first.dayNumber)).count { isWorkingDay(first.adding(days: $0)) }
    }

    /// The one wording of the warning for uncovered years, or nil when there are none.
    public static func uncoveredWarning(_ years: [Int]) -> String? {
        guard !years.isEmpty else { return nil }
        let list = years.map(String.init).joined(separator: ", ")
        return "the calendar does not cover \(list); weekends only were assumed (no holidays, no worked weekend days)"
    }
}
