import TongbanCore

/// Audit entries waiting for the next group commit, and whether a commit is under way. Unlike SQLite's queue it
/// keeps no chain head: other replicas append too, so each commit reads the head under its lock.
struct PostgresAuditQueue {
    struct Pending {
        let entry: AuditEntry
        let completion: @Sendable (Result<AuditEntry, any Error>) -> Void
    }

    var pending: [Pending] = []
    var writing = false
}
