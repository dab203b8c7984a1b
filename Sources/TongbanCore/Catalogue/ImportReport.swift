/// What `tongbanctl import` reports: either every row written (counts and time) or every problem found
/// (nothing written).
public struct ImportReport: Codable, Sendable, Equatable {
    public var resource: String
    public var ok: Bool
    /// The rows read and checked (not the header, not blank lines, not a line that stopped reading).
    public var rows: Int
    public var inserted: Int
    public var updated: Int
    /// Rows identical to the stored record: nothing written for them, their `modifiedAt` kept.
    public var unchanged: Int
    /// Legacy 15-digit ID numbers stored as their 18-character form; `conversions` lists the first 1,000 by line
    /// and field, never the number (the operator has the file; the report may be pasted anywhere).
    public var converted: Int
    public var conversions: [RecordIssue]
    public var seconds: Double
    /// Up to the first 1,000 problems; `errorCount` counts them all.
    public var errors: [RecordIssue]
    public var errorCount: Int
    /// The line at which reading stopped (a broken line, a bad header), the rest of the file unread; nil when
    /// every line was read.
    public var stoppedAt: Int?

    public init(resource: String, ok: Bool, rows: Int, inserted: Int = 0, updated: Int = 0, unchanged: Int = 0, converted: Int = 0,
                conversions: [RecordIssue] = [], errors: [RecordIssue] = [], errorCount: Int = 0, stoppedAt: Int? = nil, seconds: Double = 0) {
        self.resource = resource
        self.ok = ok
        self.rows = rows
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
        self.converted = converted
        self.conversions = conversions
        self.seconds = seconds
        self.errors = errors
        self.errorCount = errorCount
        self.stoppedAt = stoppedAt
    }
}

extension ImportReport {
    private enum CodingKeys: String, CodingKey {
        case resource, ok, rows, inserted, updated, unchanged, converted, conversions, seconds, errors, errorCount, stoppedAt
    }

    /// Reads a report of a daemon older than this CLI too (until it is restarted after an upgrade): the counts it
    /// did not know are 0.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(resource: try c.decode(String.self, forKey: .resource), ok: try c.decode(Bool.self, forKey: .ok),
                  rows: try c.decode(Int.self, forKey: .rows), inserted: try c.decodeIfPresent(Int.self, forKey: .inserted) ?? 0,
                  updated: try c.decodeIfPresent(Int.self, forKey: .updated) ?? 0,
                  unchanged: try c.decodeIfPresent(Int.self, forKey: .unchanged) ?? 0,
                  converted: try c.decodeIfPresent(Int.self, forKey: .converted) ?? 0,
                  conversions: try c.decodeIfPresent([RecordIssue].self, forKey: .conversions) ?? [],
                  errors: try c.decodeIfPresent([RecordIssue].self, forKey: .errors) ?? [],
                  errorCount: try c.decodeIfPresent(Int.self, forKey: .errorCount) ?? 0,
                  stoppedAt: try c.decodeIfPresent(Int.self, forKey: .stoppedAt),
                  seconds: try c.decodeIfPresent(Double.self, forKey: .seconds) ?? 0)
    }
}
