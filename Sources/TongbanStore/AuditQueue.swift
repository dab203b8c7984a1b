import TongbanCore

/// Audit entries waiting for the group commit, and whether a commit is under way.
struct AuditQueue {
    struct Pending {
        let entry: AuditEntry
        let continuation: CheckedContinuation<AuditEntry, any Error>
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
