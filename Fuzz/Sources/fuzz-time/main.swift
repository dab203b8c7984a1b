import Foundation
import FuzzSupport
import TongbanCore

// ISO 8601 times. Tongban writes them by hand (`ISO8601.string`, `yyyy-MM-ddTHH:mm:ssZ`, on every audit entry and
// batch answer) and reads them with Foundation (`AuditQuery.time`, RFC 3339 or a plain date in Beijing time).
// - `ISO8601.string` of a time read from the first 8 bytes (an IEEE double of seconds since 1970) equals what
//   `JSONEncoder` with `.iso8601` writes (what `ISO8601`'s comment promises; `JSONCoding.encoder()` writes every other
//   document so), from 1583 to 9999. Not before: `JSONEncoder` writes through `ISO8601DateFormatter`, whose calendar is
//   the Julian one before the Gregorian reform (the instant Tongban writes 0001-01-01T00:00:00Z, proleptic Gregorian
//   as ISO 8601 asks, it writes 0001-01-03T00:00:00Z); past 9999 the two write five-digit years differently;
// - from 1583, that text reads back (`AuditQuery.time`, through `ISO8601DateFormatter`) as the time rounded down to
//   the second;
// - `AuditQuery.time` on the input as text never crashes, and a plain date it accepts is midnight in Beijing.
let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    return encoder
}()

Fuzz.run { input in
    if input.count >= 8 {
        let seconds = Double(bitPattern: input.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        if seconds.isFinite, abs(seconds) < 1e15 {
            let date = Date(timeIntervalSince1970: seconds)
            let ours = ISO8601.string(date)
            if (-12_212_553_600 ... 253_402_300_799).contains(seconds) {  // 1583-01-01 to 9999-12-31
                let theirs = String(decoding: try! encoder.encode([date]), as: UTF8.self).dropFirst(2).dropLast(2)
                guard ours == theirs else { Fuzz.difference("time", "\(seconds) s: Tongban writes \(ours), JSONEncoder \(theirs)", input: input) }
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
