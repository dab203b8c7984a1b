import TongbanCore

/// Audit entries waiting for the group commit, and whether a commit is under way.
struct AuditQueue {
    struct Pending {
        let entry: AuditEntry
        let continuation: CheckedContinuation<AuditEntry, any Error>
    }

    var pending: [Pending] = []
    var writing = false
}
