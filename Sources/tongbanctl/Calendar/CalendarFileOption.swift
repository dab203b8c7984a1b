import ArgumentParser
import Foundation
import TongbanCore

/// `--calendar FILE`: which working-day calendar to count with; the one built into tongbanctl by default.
struct CalendarFileOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A calendar file (date<TAB>kind<TAB>name, as docs/workflows.md describes) instead of the built-in one.",
                                            valueName: "file"))
    var calendar: String?

    /// The calendar named, or the bundled one; a file that cannot be read or parsed is reported and exits 1.
    func load() throws -> WorkdayCalendar {
        guard let calendar else { return .bundled }
        do { return try WorkdayCalendar(contentsOf: URL(fileURLWithPath: calendar)) } catch { throw Console.fail(error) }
    }
}
