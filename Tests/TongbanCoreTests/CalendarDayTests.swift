import Foundation
import Testing
import TongbanCore

/// `CalendarDay`: strict `YYYY-MM-DD`, and weekdays and day arithmetic that agree with Foundation's Gregorian calendar.
@Suite struct CalendarDayTests {
    @Test(arguments: ["2025-1-01", "2025-01-1", "20250101", "2025/01/01", "2025-02-29", "1900-02-29", "2025-13-01", "2025-00-10",
                      "2025-04-31", "2025-01-00", "0000-01-01", " 2025-01-01", "2025-01-01 ", "２０２５-01-01", "+025-01-01",
                      "2025-01-01T00:00", "", "2025-10-01\n"])
    func malformedOrUnrealDaysAreRefused(text: String) {
        #expect(CalendarDay(text) == nil)
    }

    @Test(arguments: ["2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31", "2025-10-01", "2026-12-31"])
    func realDaysReadAndPrintTheSame(text: String) throws {
        let day = try #require(CalendarDay(text))
        #expect(day.description == text)
        #expect(CalendarDay(year: day.year, month: day.month, day: day.day) == day)
    }

    @Test func weekdaysOfKnownDays() throws {
        // 1970-01-01 was a Thursday; 2025-10-01 a Wednesday; 2026-10-10 a Saturday; 2026-01-04 a Sunday.
        let known: [(String, Int, String)] = [("1970-01-01", 4, "Thursday"), ("1969-12-31", 3, "Wednesday"), ("2025-10-01", 3, "Wednesday"),
                                              ("2026-10-10", 6, "Saturday"), ("2026-01-04", 7, "Sunday"), ("2000-02-29", 2, "Tuesday")]
        for (text, weekday, name) in known {
            let day = try #require(CalendarDay(text))
            #expect(day.weekday == weekday && day.weekdayName == name, "\(text)")
            #expect(day.isWeekend == (weekday >= 6), "\(text)")
        }
    }

    /// Ten years of days, and some far ones, against Foundation: the same successor, month, day and weekday.
    @Test func arithmeticAgreesWithFoundation() throws {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(secondsFromGMT: 0)!
        let origin = try #require(CalendarDay("2020-01-01"))
        let originDate = try #require(gregorian.date(from: DateComponents(year: 2020, month: 1, day: 1)))
        for offset in Array(-3_700...3_700) + [-146_097, 146_097 * 2, 2_900_000] {  // after 1582: Foundation switches to Julian before
            let date = try #require(gregorian.date(byAdding: .day, value: offset, to: originDate))
            let parts = gregorian.dateComponents([.year, .month, .day, .weekday], from: date)
            let day = origin.adding(days: offset)
            #expect(day.year == parts.year && day.month == parts.month && day.day == parts.day, "offset \(offset): \(day)")
            #expect(day.weekday == (parts.weekday! + 5) % 7 + 1, "offset \(offset): \(day)")  // Foundation: 1 is Sunday
            #expect(day.adding(days: -offset) == origin)
        }
    }

    @Test func daysOrderByDate() throws {
        let days = try ["2026-01-01", "2025-09-30", "2025-10-01", "2024-12-31"].map { try #require(CalendarDay($0)) }
        #expect(days.sorted().map(\.description) == ["2024-12-31", "2025-09-30", "2025-10-01", "2026-01-01"])
    }

    /// The day in China (UTC+8) at an instant: midnight in Beijing is 16:00 UTC the day before.
    @Test func theChinaDateOfAnInstant() {
        let cases: [(TimeInterval, String)] = [(1_735_660_799, "2024-12-31"), (1_735_660_800, "2025-01-01"), (0, "1970-01-01"),
                                              (-8 * 3600, "1970-01-01"), (-8 * 3600 - 1, "1969-12-31"), (1_759_248_000, "2025-10-01")]
        for (seconds, expected) in cases {
            #expect(CalendarDay(chinaDateOf: Date(timeIntervalSince1970: seconds)).description == expected, "\(seconds)")
        }
    }

    @Test func jsonIsTheTextForm() throws {
        let day = try #require(CalendarDay("2026-10-20"))
        #expect(String(decoding: try JSONEncoder().encode([day]), as: UTF8.self) == #"["2026-10-20"]"#)
        #expect(try JSONDecoder().decode([CalendarDay].self, from: Data(#"["2026-10-20"]"#.utf8)) == [day])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CalendarDay].self, from: Data(#"["2026-02-30"]"#.utf8)) }
    }
}
