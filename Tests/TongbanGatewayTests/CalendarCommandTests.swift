import Foundation
import Testing
import TongbanTestKit

/// `tongbanctl calendar` as an operator runs it: the date alone on stdout, warnings and errors on stderr.
@Suite struct CalendarCommandTests {
    /// Runs the built tongbanctl with stdout and stderr apart (both are short here, so reading one after the other
    /// cannot block).
    static func tongbanctl(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltProducts.tongbanctl)
        process.arguments = ["calendar"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    @Test func addWorkingDaysPrintsTheDueDate() throws {
        // Wed 30 September 2026; 1–7 October off, Sat 10 October worked: Thu 8, Fri 9, Sat 10, Mon 12 … Fri 16, Mon 19, Tue 20.
        let result = try Self.tongbanctl(["add-working-days", "2026-09-30", "10"])
        #expect(result.status == 0 && result.stdout == "2026-10-20\n" && result.stderr.isEmpty, "\(result)")
        let json = try Self.tongbanctl(["add-working-days", "--json", "2026-09-30", "10"])
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(json.status == 0 && document?["due"] as? String == "2026-10-20" && document?["covered"] as? Bool == true, "\(json)")
    }

    @Test func aDateTheCalendarDoesNotCoverIsAnsweredWithAWarning() throws {
        let result = try Self.tongbanctl(["add-working-days", "2026-12-31", "2"])  // Fri 1, Mon 4 January 2027
        #expect(result.status == 0 && result.stdout == "2027-01-04\n", "\(result)")
        #expect(result.stderr.contains("warning: the calendar does not cover 2027; weekends only were assumed"), "\(result.stderr)")
        let day = try Self.tongbanctl(["is-working-day", "2027-01-01"])
        #expect(day.status == 0 && day.stdout == "2027-01-01 Friday: working day\n" && day.stderr.contains("does not cover 2027"), "\(day)")
    }

    @Test func isWorkingDayAndShowNameTheArrangement() throws {
        let saturday = try Self.tongbanctl(["is-working-day", "2026-10-10"])
        #expect(saturday.status == 0 && saturday.stdout == "2026-10-10 Saturday: working day (国庆节调休上班)\n", "\(saturday)")
        let holiday = try Self.tongbanctl(["is-working-day", "2025-10-08"])
        #expect(holiday.stdout == "2025-10-08 Wednesday: day off (国庆节、中秋节)\n", "\(holiday)")
        let show = try Self.tongbanctl(["show", "2026"])
        let lines = show.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(show.status == 0 && lines.first?.hasPrefix("2026: 248 working days") == true, "\(show)")
        #expect(lines.contains("2026-02-28 Saturday workday 春节调休上班") && lines.contains("2026-10-07 Wednesday holiday 国庆节"), "\(show.stdout)")
    }

    @Test func badInputIsRefusedWithWhatIsWrong() throws {
        let date = try Self.tongbanctl(["add-working-days", "2026-02-30", "10"])
        #expect(date.status == 64 && date.stderr.contains("'2026-02-30' is not a date") && date.stdout.isEmpty, "\(date)")
        let count = try Self.tongbanctl(["add-working-days", "2026-09-30", "5000"])
        #expect(count.status == 64 && count.stderr.contains("5000 working days"), "\(count)")
        let directory = try TemporaryDirectory("tbcal")
        defer { directory.remove() }
        let file = directory.file("calendar.tsv")
        try "2027-01-01\tholiday\t元旦\n2027-01-02\tday-off\t元旦\n".write(toFile: file, atomically: true, encoding: .utf8)
        let broken = try Self.tongbanctl(["add-working-days", "--calendar", file, "2026-12-31", "1"])
        #expect(broken.status == 1 && broken.stdout.isEmpty, "\(broken)")
        #expect(broken.stderr.contains("\(file) line 2: field 2 (kind) 'day-off'") && broken.stderr.contains("tongban.calendar.invalid"), "\(broken)")
        let missing = try Self.tongbanctl(["show", "--calendar", directory.file("absent.tsv")])
        #expect(missing.status == 1 && missing.stderr.contains("absent.tsv: no such file"), "\(missing)")
    }
}
