import Foundation
import Testing
import TongbanCore

/// `CitizenID.dateNumber` is today in China (UTC+8) as YYYYMMDD, as a Foundation calendar computes it.
@Suite struct DateNumberTests {
    @Test func agreesWithTheCalendarInBeijingTime() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        // Around midnight in Beijing (16:00 UTC), a leap day, year ends, and a spread of other moments.
        let moments: [TimeInterval] = [0, 1_709_136_000 - 1, 1_709_136_000, 1_709_164_799, 1_709_164_800, 1_735_660_799, 1_735_660_800,
                                       951_782_400, 4_102_444_800] + (0..<200).map { Double($0) * 7_777_777 }
        for seconds in moments {
            let date = Date(timeIntervalSince1970: seconds)
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            #expect(CitizenID.dateNumber(date) == parts.year! * 10_000 + parts.month! * 100 + parts.day!, "\(date)")
        }
    }
}
