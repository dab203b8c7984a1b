import Crypto
import Foundation
import GRDB
import Synchronization
import TongbanCore

extension StateStore {
    /// `appendAudit(_:)` (`ProvinceStore`) with a completion instead of a suspension (the peer fast path, which runs on the event
    /// loop without a task): `completion` is called once, on the writer's thread, after the group commit that holds
    /// the entry reached the disk, or with the error that failed it.
    public func appendAudit(_ entry: AuditEntry, completion: @escaping @Sendable (Result<AuditEntry, any Error>) -> Void) {
        if auditQueue.withLock({ $0.enqueue(entry, completion: completion) }) { Task { await self.commitAudit() } }
    }

    /// The number of entries in the audit chain (its last sequence number).
    public func auditChainLength() async throws(TongbanError) -> Int {
        do {
            return try await auditPool.read { db in try Int.fetchOne(db, sql: "SELECT MAX(sequence) FROM audit") ?? 0 }
        } catch {
            throw TongbanError(.storeUnavailable, "cannot read the audit log: \(error)")
        }
    }

    /// Writes what is queued, one transaction per round, until the queue is empty.
    func commitAudit() async {
        while true {
            let (batch, head) = auditQueue.withLock { ($0.nextBatch(), $0.head) }
            if batch.isEmpty { return }
            do {
                let stored = try await auditPool.write { db in
                    var sequence = 0
                    var previous = AuditChain.genesis
                    if let head {
                        (sequence, previous) = (head.sequence, head.hash)
                    } else if let last = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM audit ORDER BY sequence DESC LIMIT 1") {
                        (sequence, previous) = (last["sequence"], last["hash"])
                    }
                    let insert = try db.cachedStatement(sql: "INSERT INTO audit(sequence, request_id, direction, time, entry, hash) VALUES (?, ?, ?, ?, ?, ?)")
                    let setting = self.auditHash
                    return try batch.map { pending in
                        let (entry, content) = AuditChain.link(pending.entry, after: sequence, previous: previous, setting: setting)
                        try insert.execute(arguments: [entry.sequence, entry.requestId, entry.direction.rawValue, entry.time.timeIntervalSince1970,
                                                       content, entry.hash])
                        (sequence, previous) = (entry.sequence, entry.hash)
                        return entry
                    }
                }
                auditQueue.withLock { queue in queue.head = stored.last.map { AuditQueue.Head(sequence: $0.sequence, hash: $0.hash) } }
                for (pending, entry) in zip(batch, stored) { pending.completion(.success(entry)) }
            } catch {
                auditQueue.withLock { queue in queue.head = nil }
                for pending in batch { pending.completion(.failure(error)) }
            }
        }
    }

    public func auditEntries(requestId: String?, since: Date?, until: Date?, direction: AuditEntry.Direction?, last: Int?) async throws(TongbanError) -> [AuditEntry] {
        do {
            return try await auditPool.read { db in
                var conditions: [String] = []
                var arguments: [any DatabaseValueConvertible] = []
                if let requestId { conditions.append("request_id = ?"); arguments.append(requestId) }
                if let since { conditions.append("time >= ?"); arguments.append(since.timeIntervalSince1970) }
                if let until { conditions.append("time < ?"); arguments.append(until.timeIntervalSince1970) }
                if let direction { conditions.append("direction = ?"); arguments.append(direction.rawValue) }
                let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
                let sql = last.map { "SELECT * FROM (SELECT entry, hash, sequence FROM audit \(filter) ORDER BY sequence DESC LIMIT \($0)) ORDER BY sequence" }
                    ?? "SELECT entry, hash, sequence FROM audit \(filter) ORDER BY sequence"
                return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                    var entry = try JSONCoding.decoder().decode(AuditEntry.self, from: Data((row["entry"] as String).utf8))
                    entry.hash = row["hash"]
                    entry.sequence = row["sequence"]
                    return entry
                }
            }
        } catch {
            throw TongbanError(.storeUnavailable, "cannot read the audit log: \(error)")
        }
    }

    /// Request id, calling province and time of every inbound exchange recorded since `since`, oldest first:
    /// the replay window a restart must not forget.
    public func recentInboundRequests(since: Date) async throws(TongbanError) -> [(requestId: String, peer: String, time: Date)] {
        do {
            return try await auditPool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT request_id, json_extract(entry, '$.peer') AS peer, time FROM audit
                    WHERE direction = ? AND time >= ? ORDER BY time
                    """, arguments: [AuditEntry.Direction.inbound.rawValue, since.timeIntervalSince1970]).map { row in
                    (row["request_id"] as String, (row["peer"] as String?) ?? "", Date(timeIntervalSince1970: row["time"] as Double))
                }
            }
        } catch {
            throw TongbanError(.storeUnavailable, "cannot read the audit log: \(error)")
        }
    }

    /// The province's audit secret (for subject digests), created on first use in the state directory, mode 0600.
    public func auditSecret() throws(TongbanError) -> SymmetricKey {
        let path = URL(fileURLWithPath: self.path).deletingLastPathComponent().appendingPathComponent(StateFiles.auditSecret).path
        if let data = FileManager.default.contents(atPath: path) {
            // Never replaced: a new secret would cut the link between subject digests written before and after.
            guard data.count == StateFiles.auditSecretSize else {
                throw TongbanError(.configInvalid, "the audit secret \(path) has \(data.count) bytes, not \(StateFiles.auditSecretSize): restore it from the backup "
                                   + "(docs/operations.md, \"Backup and restore\"); it is never replaced, since a new one would unlink "
                                   + "the subject digests written before from those written after")
            }
            return SymmetricKey(data: data)
        }
        let key = SymmetricKey(size: .bits256)
        let data = key.withUnsafeBytes { Data($0) }
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw TongbanError(.auditUnavailable, "cannot create the audit secret \(path)")
        }
        return key
    }
}
