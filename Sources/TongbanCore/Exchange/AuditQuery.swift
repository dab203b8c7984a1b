import Foundation

/// Which audit entries to read (`tongbanctl audit export`, `GET /v1/audit`): a time range and a direction.
/// A bound that cannot be read is refused, never ignored — a supervisor asking for one month must not get the
/// whole log.
public struct AuditQuery: Sendable, Equatable {
    public var since: Date?
    public var until: Date?
    public var direction: AuditEntry.Direction?

    public init(since: Date? = nil, until: Date? = nil, direction: AuditEntry.Direction? = nil) {
        self.since = since
        self.until = until
        self.direction = direction
    }

    /// Reads the bounds as given on the command line or in the query string; `nil` text is no bound.
    public init(since: String?, until: String?, direction: String?) throws(TongbanError) {
        self.since = try since.map { text throws(TongbanError) in try Self.time(text, option: "since") }
        self.until = try until.map { text throws(TongbanError) in try Self.time(text, option: "until") }
        if let direction {
            guard let parsed = AuditEntry.Direction(rawValue: direction) else {
                throw TongbanError(.requestInvalid, "direction '\(direction)' is neither in (peers asked this province) nor out (this province asked)")
            }
            self.direction = parsed
        }
        if let since = self.since, let until = self.until, until <= since {
            throw TongbanError(.requestInvalid, "until (\(ISO8601.string(until))) is not after since (\(ISO8601.string(since))): the range is empty")
        }
    }

    /// Beijing time, in which a plain date is a whole day.
    public static let beijing = TimeZone(secondsFromGMT: 8 * 3600)!

    /// An RFC 3339 time (`2026-01-01T00:00:00Z`, `2026-01-01T08:00:00+08:00`, fractions allowed), or a plain date
    /// (`2026-01-01`), which is the start of that day in Beijing time (00:00 +08:00).
    public static func time(_ text: String, option: String) throws(TongbanError) -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds]] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: trimmed) { return date }
        }
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
           let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = beijing
            let components = DateComponents(year: year, month: month, day: day)
            if let date = calendar.date(from: components),
               calendar.dateComponents([.year, .month, .day], from: date) == DateComponents(year: year, month: month, day: day) {
                return date
            }
        }
        throw TongbanError(.requestInvalid, "--\(option) '\(text)' is not a time: give an RFC 3339 time (2026-01-01T00:00:00Z, "
                           + "2026-01-01T08:00:00+08:00) or a date (2026-01-01, the start of that day in Beijing time)")
    }

    /// The query string `GET /v1/audit` reads, times in UTC to the millisecond.
    public var queryItems: [String] {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var items: [String] = []
        if let since { items.append("since=" + formatter.string(from: since)) }
        if let until { items.append("until=" + formatter.string(from: until)) }
        if let direction { items.append("direction=" + direction.rawValue) }
        return items
    }
}
