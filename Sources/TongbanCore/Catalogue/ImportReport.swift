/// What `tongbanctl import` reports: either every row written (counts and time) or every problem found
/// (nothing written).
public struct ImportReport: Codable, Sendable, Equatable {
    public var resource: String
    public var ok: Bool
    public var rows: Int
    public var inserted: Int
    public var updated: Int
    public var seconds: Double
    /// Up to the first 1,000 problems; `errorCount` counts them all.
    public var errors: [RecordIssue]
    public var errorCount: Int

    public init(resource: String, ok: Bool, rows: Int, inserted: Int = 0, updated: Int = 0, errors: [RecordIssue] = [],
                errorCount: Int = 0, seconds: Double = 0) {
        self.resource = resource
        self.ok = ok
        self.rows = rows
        self.inserted = inserted
        self.updated = updated
        self.seconds = seconds
        self.errors = errors
        self.errorCount = errorCount
    }
}
