/// What one round of a store's upkeep did (`ProvinceStore.maintain`), for the metrics.
public struct StoreMaintenance: Sendable {
    /// SQLite: how long each file's WAL checkpoint took; nil for a store without checkpoints.
    public var recordsCheckpoint: Duration?
    public var auditCheckpoint: Duration?

    public init(recordsCheckpoint: Duration? = nil, auditCheckpoint: Duration? = nil) {
        self.recordsCheckpoint = recordsCheckpoint
        self.auditCheckpoint = auditCheckpoint
    }
}
