import Crypto
import Foundation
import GRDB
import TongbanCore

extension StateStore {
    /// Appends `entry` to the chain in one durable transaction (WAL, synchronous commit) and returns it as
    /// stored. A failure here must refuse the exchange: nothing is served unaudited.
    public func appendAudit(_ entry: AuditEntry) async throws(TongbanError) -> AuditEntry {
        do {
            return try await pool.write { db in
                let last = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM audit ORDER BY sequence DESC LIMIT 1")
                var stored = entry
                stored.sequence = (last?["sequence"] as Int? ?? 0) + 1
                stored.previousHash = last?["hash"] ?? AuditChain.genesis
                stored.hash = ""
                stored.hash = AuditChain.hash(stored)
                try db.execute(sql: "INSERT INTO audit(sequence, request_id, direction, time, entry, hash) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [stored.sequence, stored.requestId, stored.direction.rawValue, stored.time.timeIntervalSince1970,
                                           stored.chainedContent, stored.hash])
                return stored
            }
        } catch {
            throw TongbanError("tongban.audit.unavailable", "the audit log cannot be written: \(error)")
        }
    }

    public func auditEntries(requestId: String? = nil, since: Date? = nil, until: Date? = nil, direction: AuditEntry.Direction? = nil,
                             last: Int? = nil) async throws(TongbanError) -> [AuditEntry] {
        do {
            return try await pool.read { db in
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

    /// The province's audit secret (for subject digests), created on first use in the state directory, mode 0600.
    public func auditSecret() throws(TongbanError) -> SymmetricKey {
        let path = URL(fileURLWithPath: self.path).deletingLastPathComponent().appendingPathComponent("audit.key").path
        if let data = FileManager.default.contents(atPath: path), data.count == 32 { return SymmetricKey(data: data) }
        let key = SymmetricKey(size: .bits256)
        let data = key.withUnsafeBytes { Data($0) }
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw TongbanError("tongban.audit.unavailable", "cannot create the audit secret \(path)")
        }
        return key
    }
}
