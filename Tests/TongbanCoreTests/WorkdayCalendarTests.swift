import Foundation
import Testing
@testable import TongbanCore

/// The working-day calendar with the State Council's real 2025 and 2026 arrangements (the bundled file).
///
/// Every expected date was worked out by hand from `cn-workday-calendar.tsv` and a printed calendar (weekdays in
/// the comments), never from this code: "+N" is the N-th working day after the start, the start not counted.
@Suite struct WorkdayCalendarTests {
    let calendar = WorkdayCalendar.bundled

    static func day(_ text: String) -> CalendarDay {
        guard let day = CalendarDay(text) else { fatalError("test date \(text) is not a day") }
        return day
    }

    func expectDue(_ start: String, _ workingDays: Int, _ due: String, uncovered: [Int] = [], sourceLocation: SourceLocation = #_sourceLocation) {
        let count = calendar.addingWorkingDays(workingDays, to: Self.day(start))
        #expect(count.day == Self.day(due), "\(start) +\(workingDays)", sourceLocation: sourceLocation)
        #expect(count.uncoveredYears == uncovered, "\(start) +\(workingDays)", sourceLocation: sourceLocation)
        #expect(count.start == Self.day(start) && count.workingDays == workingDays, sourceLocation: sourceLocation)
    }

    // National Day and Mid-Autumn 2025: Wed 1 to Wed 8 October off; Sun 28 September and Sat 11 October worked.
    @Test(arguments: [
        ("2025-09-26", 1, "2025-09-28"),  // Fri → Sat 27 off → Sun 28 worked
        ("2025-09-26", 2, "2025-09-29"),  // → Mon 29
        ("2025-09-30", 1, "2025-10-09"),  // Tue → 1–8 October off → Thu 9
        ("2025-09-30", 3, "2025-10-11"),  // Thu 9, Fri 10, Sat 11 worked
        ("2025-09-30", 4, "2025-10-13"),  // Sun 12 off → Mon 13
        ("2025-09-28", 10, "2025-10-17"),  // from the worked Sunday: 29, 30, 9, 10, 11, 13, 14, 15, 16, Fri 17
    ])
    func acrossNationalDay2025(start: String, workingDays: Int, due: String) {
        expectDue(start, workingDays, due)
    }

    // Spring Festival 2025: Tue 28 January to Tue 4 February off; Sun 26 January and Sat 8 February worked.
    @Test(arguments: [
        ("2025-01-24", 1, "2025-01-26"),  // Fri → Sat 25 off → Sun 26 worked
        ("2025-01-24", 2, "2025-01-27"),  // Mon 27
        ("2025-01-24", 3, "2025-02-05"),  // 28 January to 4 February off → Wed 5
        ("2025-01-27", 1, "2025-02-05"),  // the last working day before the holiday
        ("2025-01-24", 6, "2025-02-08"),  // Wed 5, Thu 6, Fri 7, Sat 8 worked
        ("2025-01-24", 7, "2025-02-10"),  // Sun 9 off → Mon 10
    ])
    func acrossSpringFestival2025(start: String, workingDays: Int, due: String) {
        expectDue(start, workingDays, due)
    }

    // Spring Festival 2026: Sun 15 to Mon 23 February off; Sat 14 and Sat 28 February worked.
    @Test(arguments: [
        ("2026-02-13", 1, "2026-02-14"),  // Fri → Sat 14 worked
        ("2026-02-13", 2, "2026-02-24"),  // 15–23 off → Tue 24
        ("2026-02-13", 5, "2026-02-27"),  // Tue 24, Wed 25, Thu 26, Fri 27
        ("2026-02-13", 6, "2026-02-28"),  // Sat 28 worked
        ("2026-02-13", 7, "2026-03-02"),  // Sun 1 March off → Mon 2
    ])
    func acrossSpringFestival2026(start: String, workingDays: Int, due: String) {
        expectDue(start, workingDays, due)
    }

    // Mid-Autumn 2026 Fri 25 to Sun 27 September off; National Day Thu 1 to Wed 7 October off;
    // Sun 20 September and Sat 10 October worked.
    @Test(arguments: [
        ("2026-09-30", 10, "2026-10-20"),  // Wed → Thu 8, Fri 9, Sat 10, Mon 12 … Fri 16, Mon 19, Tue 20
        ("2026-09-30", 1, "2026-10-08"),
        ("2026-09-30", 3, "2026-10-10"),  // Sat 10 worked
        ("2026-09-30", 4, "2026-10-12"),  // Sun 11 off
        ("2026-09-18", 1, "2026-09-20"),  // Fri → Sat 19 off → Sun 20 worked
        ("2026-09-24", 1, "2026-09-28"),  // Thu → 25–27 off → Mon 28
        ("2026-09-18", 10, "2026-10-09"),  // Sun 20, 21–24, 28–30, Thu 8 October, Fri 9
    ])
    func acrossNationalDay2026(start: String, workingDays: Int, due: String) {
        expectDue(start, workingDays, due)
    }

    // New Year 2026: Thu 1 to Sat 3 January off, Sun 4 January worked; the count crosses from 2025 into 2026.
    @Test func acrossNewYear2026() {
        expectDue("2025-12-31", 1, "2026-01-04")  // Wed → Sun 4 worked
        expectDue("2025-12-31", 2, "2026-01-05")
    }

    // March 2025 has no arrangement: Monday to Friday.
    @Test(arguments: [
        ("2025-03-10", 1, "2025-03-11"),  // Mon → Tue
        ("2025-03-10", 5, "2025-03-17"),  // Tue 11 … Fri 14, Mon 17
        ("2025-03-14", 1, "2025-03-17"),  // Fri → Mon
        ("2025-03-10", 10, "2025-03-24"),
    ])
    func plainWeeks(start: String, workingDays: Int, due: String) {
        expectDue(start, workingDays, due)
    }

    /// The start is never counted, whether it is a holiday, a weekend day or a worked one.
    @Test(arguments: [
        ("2025-10-03", 1, "2025-10-09"),  // Fri, a holiday
        ("2025-10-01", 1, "2025-10-09"),  // Wed, a holiday
        ("2026-02-16", 1, "2026-02-24"),  // Mon, a holiday
        ("2025-03-15", 1, "2025-03-17"),  // Sat
        ("2025-10-12", 1, "2025-10-13"),  // Sun after the worked Saturday
        ("2025-10-11", 1, "2025-10-13"),  // the worked Saturday itself
    ])
    func startOnADayOff(start: String, workingDays: Int, due: String) {
        expectDue(start, workingDays, due)
    }

    /// N = 0 is the start itself, even a holiday, and looks at no day (so nothing is uncovered).
    @Test func zeroWorkingDaysIsTheStart() {
        expectDue("2025-10-01", 0, "2025-10-01")
        expectDue("2025-03-12", 0, "2025-03-12")
        expectDue("2027-01-01", 0, "2027-01-01")
    }

    /// Backwards: the N-th working day before.
    @Test func negativeCountsBackwards() {
        expectDue("2025-10-09", -1, "2025-09-30")  // 8–1 October off → Tue 30 September
        expectDue("2025-09-29", -1, "2025-09-28")  // Mon → Sun 28 worked
        expectDue("2025-01-02", -1, "2024-12-31", uncovered: [2024])  // 1 January off → Tue 31 December 2024
    }

    /// Days of 2024 and 2027 follow the weekend rule alone, and the answer says which years those were.
    @Test func daysOutsideTheCoveredYearsAreFlagged() {
        #expect(calendar.coveredYears == [2025, 2026])
        expectDue("2026-12-30", 1, "2026-12-31")  // Wed → Thu, still 2026
        expectDue("2026-12-31", 1, "2027-01-01", uncovered: [2027])  // Fri 1 January 2027 counted as worked
        expectDue("2026-12-31", 2, "2027-01-04", uncovered: [2027])  // Sat 2, Sun 3 off → Mon 4
        expectDue("2027-03-01", 5, "2027-03-08", uncovered: [2027])  // Mon → Mon
        expectDue("2024-12-30", 1, "2024-12-31", uncovered: [2024])
        expectDue("2024-12-31", 1, "2025-01-02")  // the start (2024) is not looked at; 1 January 2025 off
        let count = calendar.addingWorkingDays(1, to: Self.day("2026-12-31"))
        #expect(!count.isCovered)
        #expect(count.warning?.hasPrefix("the calendar does not cover 2027; weekends only were assumed") == true, "\(count.warning ?? "")")
        #expect(calendar.addingWorkingDays(1, to: Self.day("2026-12-30")).warning == nil)
    }

    @Test(arguments: [
        ("2025-09-28", true),  // Sun, worked
        ("2025-10-08", false),  // Wed, holiday
        ("2025-10-11", true),  // Sat, worked
        ("2025-10-12", false),  // Sun
        ("2025-01-26", true),  // Sun, worked
        ("2025-02-08", true),  // Sat, worked
        ("2025-02-04", false),  // Tue, holiday
        ("2026-01-02", false),  // Fri, holiday
        ("2026-01-04", true),  // Sun, worked
        ("2026-05-09", true),  // Sat, worked
        ("2026-10-07", false),  // Wed, holiday
        ("2025-03-12", true),  // Wed
        ("2025-03-15", false),  // Sat
        ("2027-01-01", true),  // Fri of 2027: the weekend rule alone
        ("2027-01-02", false),  // Sat of 2027
    ])
    func workingDays(date: String, working: Bool) {
        #expect(calendar.isWorkingDay(Self.day(date)) == working)
    }

    /// 2025: 261 weekdays − 18 weekday holidays + 5 worked weekend days; 2026: 261 − 19 + 6. 2027 (not covered):
    /// 365 days from a Friday, 261 weekdays.
    @Test func workingDaysOfAYear() {
        #expect(calendar.workingDays(inYear: 2025) == 248)
        #expect(calendar.workingDays(inYear: 2026) == 248)
        #expect(calendar.workingDays(inYear: 2027) == 261)
        #expect(calendar.arrangements.count == 72)
        let worked2026 = calendar.arrangements(in: 2026).filter { $0.kind == .workday }.map(\.day.description)
        #expect(worked2026 == ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"])
        #expect(calendar.arrangements(in: 2027).isEmpty)
        #expect(calendar.arrangements[Self.day("2025-10-06")] == DayArrangement(day: Self.day("2025-10-06"), kind: .holiday, name: "国庆节、中秋节"))
    }

    /// The embedded text is exactly the TSV shipped beside the code (`make calendar` regenerates it).
    @Test func embeddedCalendarMatchesTheTSVFile() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/TongbanCore/Calendar/cn-workday-calendar.tsv")
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(WorkdayCalendar.embeddedTSV + "\n" == text)
        let fromFile = try WorkdayCalendar(contentsOf: url)
        #expect(fromFile.arrangements == WorkdayCalendar.bundled.arrangements)
        #expect(fromFile.source == url.path)
    }

    @Test(arguments: [
        ("# header\n2025-10-01\tholiday\t国庆节\n2025-02-30\tholiday\t春节\n", 3, "date", "field 1 (date) '2025-02-30'"),
        ("2025-10-01\tholiday\t国庆节\n\n2025-10-02\tvacation\t国庆节\n", 3, "kind", "field 2 (kind) 'vacation'"),
        ("2025-10-01\tHoliday\t国庆节\n", 1, "kind", "'Holiday'"),
        ("2025-10-01\tholiday\n", 1, "columns", "found 2"),
        ("2025-10-01 holiday 国庆节\n", 1, "columns", "found 1"),
        ("2025-10-01\tholiday\t国庆节\tmore\n", 1, "columns", "found 4"),
        ("2025-10-01\tholiday\t \n", 1, "name", "field 3 (name) is empty"),
        ("2025-1-01\tholiday\t元旦\n", 1, "date", "'2025-1-01'"),
        ("# a\n# b\n2025-10-01\tholiday\t国庆节\n2025-10-02\tholiday\t国庆节\n2025-10-01\tworkday\t调休\n", 5, "duplicate",
         "2025-10-01 is already listed on line 3"),
        ("2025-09-29\tworkday\t国庆节调休上班\n", 1, "workday-on-weekday", "'workday' on 2025-09-29, a Monday"),
    ])
    func malformedLinesAreRefusedWithTheirLine(tsv: String, line: Int, check: String, fragment: String) {
        do {
            _ = try WorkdayCalendar(tsv: tsv, source: "test.tsv")
            Issue.record("accepted: \(tsv)")
        } catch {
            #expect(error.code == .calendarInvalid && error.detail == check, "\(error)")
            #expect(error.message.hasPrefix("test.tsv line \(line): ") && error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test func aFileWithNoDayIsRefused() {
        #expect(throws: TongbanError(.calendarInvalid, "")) { try WorkdayCalendar(tsv: "# nothing yet\n\n", source: "empty.tsv") }
    }

    @Test func windowsLineEndsAndAByteOrderMarkAreRead() throws {
        let tsv = "\u{FEFF}# header\r\n2025-10-01\tholiday\t国庆节\r\n2025-10-11\tworkday\t国庆节调休上班\r\n"
        let calendar = try WorkdayCalendar(tsv: tsv, source: "windows.tsv")
        #expect(calendar.arrangements.count == 2 && calendar.coveredYears == [2025])
        #expect(calendar.isWorkingDay(Self.day("2025-10-11")) && !calendar.isWorkingDay(Self.day("2025-10-01")))
    }

    /// An operator's file (here a made-up one for 2027) replaces the bundled calendar: only its years are covered.
    @Test func aCalendarFileIsLoadedFromItsPath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tb-calendar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("cn-workday-calendar-2027.tsv")
        try "# test data, not the real 2027 arrangements\n2027-01-01\tholiday\t元旦\n".write(to: file, atomically: true, encoding: .utf8)
        let calendar = try WorkdayCalendar(contentsOf: file)
        #expect(calendar.coveredYears == [2027] && calendar.source == file.path)
        expectDueIn(calendar, "2026-12-31", 1, "2027-01-04", uncovered: [])  // Fri 1 off, weekend → Mon 4
        expectDueIn(calendar, "2026-12-30", 1, "2026-12-31", uncovered: [2026])
        let missing = directory.appendingPathComponent("absent.tsv")
        do {
            _ = try WorkdayCalendar(contentsOf: missing)
            Issue.record("a missing file was read")
        } catch {
            #expect(error.code == .calendarInvalid && error.message == "\(missing.path): no such file")
        }
    }

    func expectDueIn(_ calendar: WorkdayCalendar, _ start: String, _ n: Int, _ due: String, uncovered: [Int],
                     sourceLocation: SourceLocation = #_sourceLocation) {
        let count = calendar.addingWorkingDays(n, to: Self.day(start))
        #expect(count.day == Self.day(due) && count.uncoveredYears == uncovered, "\(count)", sourceLocation: sourceLocation)
    }
}
