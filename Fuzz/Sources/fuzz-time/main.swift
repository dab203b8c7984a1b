import Foundation
import FuzzSupport
import TongbanCore

// ISO 8601 times. Tongban writes them by hand (`ISO8601.string`, `yyyy-MM-ddTHH:mm:ssZ`, on every audit entry and
// batch answer) and reads them with Foundation (`AuditQuery.time`, RFC 3339 or a plain date in Beijing time).
// - `ISO8601.string` of a time read from the first 8 bytes (an IEEE double of seconds since 1970) equals what
//   Foundation's `ISO8601DateFormatter` (`.withInternetDateTime`, UTC) writes, from 1583 to 9999. Outside that range
//   only "no crash" is asked: before the Gregorian reform (15 October 1582) Foundation's calendar is the Julian one
//   (0001-01-01T00:00:00Z proleptic Gregorian, what Tongban writes as ISO 8601 asks, is its 0001-01-03), and past
//   9999 the two write years of five digits differently. And before 1970, Foundation drops a fraction of a second
//   toward zero (−0.5 s is written 1970-01-01T00:00:00Z, a second that instant is not in); Tongban writes the second
//   the instant is in, as it does after 1970, so there it is compared with Foundation's text of that whole second;
// - that text reads back (`AuditQuery.time`) as the time rounded down to the second;
// - `AuditQuery.time` on the input as text never crashes, and a plain date it accepts is midnight in Beijing.
let formatter: ISO8601DateFormatter = {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    formatter.timeZone = TimeZone(secondsFromGMT: 0)
    return formatter
}()

Fuzz.run { input in
    if input.count >= 8 {
        let seconds = Double(bitPattern: input.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        if seconds.isFinite, abs(seconds) < 1e15 {
            let date = Date(timeIntervalSince1970: seconds)
            let ours = ISO8601.string(date)
            if (-12_212_553_600 ... 253_402_300_799).contains(seconds) {  // 1583-01-01 to 9999-12-31
                let theirs = formatter.string(from: seconds < 0 ? Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)) : date)
                guard ours == theirs else { Fuzz.difference("time", "\(seconds) s: Tongban writes \(ours), Foundation \(theirs)", input: input) }
                let back = try? AuditQuery.time(ours, option: "since")
                let second = date.timeIntervalSince1970.rounded(.down)  // what Date holds of `seconds`, to the second below
                guard back == Date(timeIntervalSince1970: second) else {
                    Fuzz.difference("time", "\(ours) reads back as \(String(describing: back)), not \(second)", input: input)
                }
            }
        }
    }
    let text = String(decoding: input, as: UTF8.self)
    if let date = try? AuditQuery.time(text, option: "since"), !text.contains("T") {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = AuditQuery.beijing
        let parts = calendar.dateComponents([.hour, .minute, .second, .nanosecond], from: date)
        guard parts.hour == 0, parts.minute == 0, parts.second == 0, parts.nanosecond == 0 else {
            Fuzz.difference("time", "the date \(text) reads as \(date), not midnight in Beijing", input: input)
        }
    }
}
