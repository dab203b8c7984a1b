import Foundation

/// A usage report (使用记录): the query and verify exchanges of one direction summed per matter, department and peer,
/// from the audit chain, with the totals (whose `caseReferences` counts distinct references over every row).
public struct UsageReport: Codable, Sendable, Equatable {
    /// `out`: this province's use of peers' records; `in`: peers' use of this province's.
    public var direction: AuditEntry.Direction
    public var since: Date?
    public var until: Date?
    public var peer: String?
    public var department: String?
    public var rows: [UsageRow]
    /// Every row summed (`matter`, `departmentCode`, `departmentName` and `peer` empty).
    public var total: UsageRow

    public init(direction: AuditEntry.Direction, since: Date?, until: Date?, peer: String?, department: String?, rows: [UsageRow], total: UsageRow) {
        self.direction = direction
        self.since = since
        self.until = until
        self.peer = peer
        self.department = department
        self.rows = rows
        self.total = total
    }

    /// RFC 4180 CSV: a header line, then a line per row; every text field quoted (`"` doubled), lines ended by CRLF.
    public var csv: String {
        func field(_ text: String, quoted: Bool) -> String { quoted ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text }
        let textColumns: Set<Int> = [0, 1, 2, 3]
        var out = UsageRow.columns.map { field($0, quoted: true) }.joined(separator: ",") + "\r\n"
        for row in rows {
            out += row.values.enumerated().map { field($0.element, quoted: textColumns.contains($0.offset)) }.joined(separator: ",") + "\r\n"
        }
        return out
    }
}
