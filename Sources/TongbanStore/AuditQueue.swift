import TongbanCore

/// Audit entries waiting for the group commit, and whether a commit is under way: both stores' writer. Appends
/// that arrive while a commit is under way wait for the next one and share its transaction and its flush.
public struct AuditQueue: Sendable {
    public struct Pending: Sendable {
        public let entry: AuditEntry
        /// Called once, from the writer, when the entry is committed or its commit failed.
        public let completion: @Sendable (Result<AuditEntry, any Error>) -> Void
    }

    /// The chain's last entry as of the last commit (its sequence number and hash), so a commit need not read
    /// it back; `nil` until the first commit and after a failed one, when it is read from the database. Only a
    /// store that is the chain's one writer may keep it (SQLite; not PostgreSQL, where replicas append too).
    struct Head {
        let sequence: Int
        let hash: String
    }

    var pending: [Pending] = []
    var writing = false
    var head: Head?

    public init() {}

    /// Queues `entry`; true when the caller must start the writer (none is running).
    public mutating func enqueue(_ entry: AuditEntry, completion: @escaping @Sendable (Result<AuditEntry, any Error>) -> Void) -> Bool {
        pending.append(Pending(entry: entry, completion: completion))
        if writing { return false }
        writing = true
        return true
    }

    /// The entries of the next commit; empty when none wait, and the writer then stops.
    public mutating func nextBatch() -> [Pending] {
        let batch = pending
        pending = []
        if batch.isEmpty { writing = false }
        return batch
    }
}
