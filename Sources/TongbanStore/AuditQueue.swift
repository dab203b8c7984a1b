import TongbanCore

/// Audit entries waiting for the group commit, and whether a commit is under way.
struct AuditQueue {
    struct Pending {
        let entry: AuditEntry
        /// Called once, from the writer, when the entry is on disk or its commit failed.
        let completion: @Sendable (Result<AuditEntry, any Error>) -> Void
    }

    /// The chain's last entry as of the last commit (its sequence number and hash), so a commit need not read
    /// it back; `nil` until the first commit and after a failed one, when it is read from the database.
    struct Head {
        let sequence: Int
        let hash: String
    }

    var pending: [Pending] = []
    var writing = false
    var head: Head?
}
