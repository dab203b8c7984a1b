import Foundation

extension WorkdayCalendar {
    /// Parses the TSV format of `cn-workday-calendar.tsv`: one day a line, `date<TAB>kind<TAB>name`, with `date`
    /// as `YYYY-MM-DD`, `kind` `holiday` or `workday`, and a non-empty name. Lines starting with `#` and blank
    /// lines are skipped; CRLF line ends and a byte order mark are accepted.
    ///
    /// Refused with `tongban.calendar.invalid`, naming `source`, the line and the field: a malformed line, a date
    /// that is not a real day, an unknown kind, a date listed twice, a `workday` on a Monday to Friday (those are
    /// worked anyway, so it is a mistyped date), and a file that lists no day at all. `detail` says which check
    /// failed: `columns`, `date`, `kind`, `name`, `duplicate`, `workday-on-weekday` or `empty` (`unreadable` for a file).
    public init(tsv: String, source: String = "calendar") throws(TongbanError) {
        var arrangements: [CalendarDay: DayArrangement] = [:]
        var lineOf: [CalendarDay: Int] = [:]
        func failure(_ line: Int, _ check: String, _ message: String) -> TongbanError {
            TongbanError(.calendarInvalid, "\(source) line \(line): \(message)", detail: check)
        }
        let text = tsv.hasPrefix("\u{FEFF}") ? String(tsv.dropFirst()) : tsv  // a byte order mark (its own Character)
        // "\r\n" is one Character in Swift, so it is a separator of its own.
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let number = index + 1
            if line.hasPrefix("#") || line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3 else {
                throw failure(number, "columns", "expected 3 tab-separated fields (date, kind, name), found \(fields.count)")
            }
            guard let day = CalendarDay(String(fields[0])) else {
                throw failure(number, "date", "field 1 (date) '\(fields[0])' is not a real day written YYYY-MM-DD")
            }
            guard let kind = DayArrangement.Kind(rawValue: String(fields[1])) else {
                throw failure(number, "kind", "field 2 (kind) '\(fields[1])' is neither 'holiday' nor 'workday'")
            }
            let name = fields[2].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw failure(number, "name", "field 3 (name) is empty") }
            if let first = lineOf[day] {
                throw failure(number, "duplicate", "field 1 (date) \(day) is already listed on line \(first)")
            }
            guard kind == .holiday || day.isWeekend else {
                throw failure(number, "workday-on-weekday",
                              "field 2 (kind) 'workday' on \(day), a \(day.weekdayName): only a Saturday or Sunday can be a worked day off")
            }
            arrangements[day] = DayArrangement(day: day, kind: kind, name: name)
            lineOf[day] = number
        }
        guard !arrangements.isEmpty else {
            throw TongbanError(.calendarInvalid, "\(source): lists no day (expected lines date<TAB>kind<TAB>name)", detail: "empty")
        }
        self.init(arrangements: arrangements, source: source)
    }

    /// Reads a calendar file of the bundled file's format (`init(tsv:source:)`), e.g. next year's arrangements
    /// installed by an operator. Errors name the path.
    public init(contentsOf url: URL) throws(TongbanError) {
        let path = url.path
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw TongbanError(.calendarInvalid, exists ? "\(path): not readable" : "\(path): no such file", detail: "unreadable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TongbanError(.calendarInvalid, "\(path): not UTF-8 text", detail: "unreadable")
        }
        try self.init(tsv: text, source: path)
    }
}
