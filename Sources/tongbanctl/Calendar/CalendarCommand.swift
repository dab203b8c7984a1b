import ArgumentParser
import TongbanCore

/// `tongbanctl calendar add-working-days|is-working-day|show`: the national working-day calendar that the deadlines
/// of the sharing workflows are counted in. Works offline, without the daemon.
struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "The working-day calendar (工作日) that deadlines are counted in.",
        discussion: """
            Saturdays and Sundays are off and other days worked, except for the State Council's holiday arrangements \
            (放假调休安排): listed holidays are off, listed worked weekend days (调休上班) are worked. The built-in calendar \
            covers 2025 and 2026; --calendar FILE uses another. On a day of a year the calendar does not cover, only \
            the weekend rule applies, and a warning on stderr says so. Needs no daemon.
            """,
        subcommands: [AddWorkingDays.self, IsWorkingDay.self, Show.self])

    /// The most working days `add-working-days` counts: years of deadlines, far more than any rule sets.
    static let maximumWorkingDays = 1000

    /// A `YYYY-MM-DD` argument, or a usage error that says how to write one.
    static func day(_ text: String, _ what: String) throws -> CalendarDay {
        guard let day = CalendarDay(text) else {
            throw ValidationError("\(what) '\(text)' is not a date: write a real day as YYYY-MM-DD, e.g. 2026-09-30")
        }
        return day
    }

    struct AddWorkingDays: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-working-days", abstract: "Print the due date N working days after a date.",
            discussion: """
                The due date of "within N working days from DATE" is the N-th working day after DATE. DATE itself is \
                never counted, whether or not it is a working day; N = 0 prints DATE. Example: \
                tongbanctl calendar add-working-days 2026-09-30 10 prints 2026-10-20 (1 to 7 October are off, Saturday \
                10 October is worked).
                """)
        @OptionGroup var calendarFile: CalendarFileOption
        @Argument(help: "The day counted from, as YYYY-MM-DD (a date in China); not itself counted.") var date: String
        @Argument(help: "How many working days (0 to \(CalendarCommand.maximumWorkingDays)).") var workingDays: Int
        @Flag(name: .long, help: "Print JSON ({start, workingDays, due, covered, uncoveredYears}).") var json = false

        struct Answer: Encodable {
            let start: CalendarDay, workingDays: Int, due: CalendarDay, covered: Bool, uncoveredYears: [Int]
        }

        func validate() throws {
            _ = try CalendarCommand.day(date, "DATE")
            guard (0...CalendarCommand.maximumWorkingDays).contains(workingDays) else {
                throw ValidationError("\(workingDays) working days: count 0 to \(CalendarCommand.maximumWorkingDays)")
            }
        }

        func run() throws {
            Console.jsonErrors = json
            let calendar = try calendarFile.load()
            let count = calendar.addingWorkingDays(workingDays, to: try CalendarCommand.day(date, "DATE"))
            if let warning = count.warning { Console.warning(warning) }
            if json {
                try Console.json(Answer(start: count.start, workingDays: count.workingDays, due: count.day, covered: count.isCovered,
                                        uncoveredYears: count.uncoveredYears))
            } else {
                print(count.day)
            }
        }
    }

    struct IsWorkingDay: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "is-working-day", abstract: "Say whether a date is a working day, and why.",
            discussion: "Exits 0 either way: read the answer, or 'workingDay' in the JSON.")
        @OptionGroup var calendarFile: CalendarFileOption
        @Argument(help: "The day, as YYYY-MM-DD (a date in China).") var date: String
        @Flag(name: .long, help: "Print JSON ({date, weekday, workingDay, arrangement, covered}).") var json = false

        struct Answer: Encodable {
            let date: CalendarDay, weekday: String, workingDay: Bool, arrangement: DayArrangement?, covered: Bool
        }

        func validate() throws { _ = try CalendarCommand.day(date, "DATE") }

        func run() throws {
            Console.jsonErrors = json
            let calendar = try calendarFile.load()
            let day = try CalendarCommand.day(date, "DATE")
            let working = calendar.isWorkingDay(day), arrangement = calendar.arrangements[day]
            let covered = calendar.covers(year: day.year)
            if let warning = WorkdayCalendar.uncoveredWarning(covered ? [] : [day.year]) { Console.warning(warning) }
            if json {
                return try Console.json(Answer(date: day, weekday: day.weekdayName, workingDay: working, arrangement: arrangement, covered: covered))
            }
            let why = arrangement.map { " (\($0.name))" } ?? (day.isWeekend ? " (weekend)" : "")
            print("\(day) \(day.weekdayName): \(working ? "working day" : "day off")\(why)")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a year's holidays and worked weekend days, or summarise every year covered.",
            discussion: "Without YEAR: each year the calendar covers, with its counts. The source is the file the calendar came from.")
        @OptionGroup var calendarFile: CalendarFileOption
        @Argument(help: "The year (e.g. 2026); leave out to summarise every year covered.") var year: Int?
        @Flag(name: .long, help: "Print JSON (one year: {year, covered, workingDays, arrangements, source}; else a list of years).")
        var json = false

        struct Year: Encodable {
            let year: Int, covered: Bool, workingDays: Int, arrangements: [DayArrangement], source: String
        }

        func validate() throws {
            if let year, !(1...9999).contains(year) { throw ValidationError("year \(year): give a year from 1 to 9999") }
        }

        func run() throws {
            Console.jsonErrors = json
            let calendar = try calendarFile.load()
            let years = (year.map { [$0] } ?? calendar.coveredYears).map { number in
                Year(year: number, covered: calendar.covers(year: number), workingDays: calendar.workingDays(inYear: number),
                     arrangements: calendar.arrangements(in: number), source: calendar.source)
            }
            if let warning = WorkdayCalendar.uncoveredWarning(years.filter { !$0.covered }.map(\.year)) { Console.warning(warning) }
            guard let year else {
                if json { return try Console.json(years) }
                print("calendar: \(calendar.source)")
                return Console.table(["YEAR", "HOLIDAYS", "WORKED WEEKEND DAYS", "WORKING DAYS"], years.map { shown in
                    [String(shown.year), String(shown.arrangements.count { $0.kind == .holiday }),
                     String(shown.arrangements.count { $0.kind == .workday }), String(shown.workingDays)]
                })
            }
            let shown = years[0]
            if json { return try Console.json(shown) }
            print("\(year): \(shown.workingDays) working days (calendar: \(calendar.source))")
            guard !shown.arrangements.isEmpty else { return }
            Console.table(["DATE", "WEEKDAY", "KIND", "NAME"], shown.arrangements.map {
                [$0.day.description, $0.day.weekdayName, $0.kind.rawValue, $0.name]
            })
        }
    }
}
