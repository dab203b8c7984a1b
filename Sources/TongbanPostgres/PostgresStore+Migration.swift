import Foundation
import PostgresNIO
import TongbanCore
import TongbanStore

/// The writes of `StoreMigration`: rows copied as they are (times, ids, texts), each statement idempotent, so a
/// migration can run again.
extension PostgresStore {
    func copyRecords(resource: String, rows: [StateStore.ExportedRow]) async throws(TongbanError) {
        let subjects = rows.map { $0["subject"]?.text ?? "" }
        let fields = rows.map { $0["fields"]?.text ?? "{}" }
        let times = rows.map { $0["updated_at"]?.real ?? 0 }
        let logger = self.logger
        try await transaction("cannot copy records of \(resource)") { connection in
            try await connection.query("""
                INSERT INTO records(resource, subject, fields, updated_at)
                SELECT \(resource), s, f, t FROM unnest(\(subjects)::text[], \(fields)::text[], \(times)::float8[]) AS r(s, f, t)
                ON CONFLICT (resource, subject) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at
                """, logger: logger)
        }
        resourceStateCache.invalidate()
    }

    /// The columns each copied table has, in the PostgreSQL schema's spelling.
    static let copiedColumns: [String: [String]] = [
        "resource_state": ["resource", "modified_at", "record_count"],
        "grants": ["id", "grant", "created_at"],
        "applications": ["id", "direction", "peer", "state", "due_date", "expires_at", "received_at", "application"],
        "corrections": ["id", "direction", "peer", "state", "due_date", "received_at", "correction"],
        "peer_outbox": ["id", "peer", "path", "body", "subject", "attempts", "next_attempt_at", "created_at", "delivered_at", "abandoned_at", "last_error"],
    ]
    static let integerColumns: Set<String> = ["record_count", "attempts", "id@peer_outbox"]
    static let realColumns: Set<String> = ["modified_at", "created_at", "expires_at", "received_at", "next_attempt_at", "delivered_at", "abandoned_at"]

    /// Inserts `rows` into `table`, replacing a row of the same key.
    func copyRows(_ rows: [StateStore.ExportedRow], into table: String) async throws(TongbanError) {
        guard let columns = Self.copiedColumns[table] else { throw TongbanError(.internalError, "no copied table \(table)") }
        let key = table == "resource_state" ? "resource" : "id"
        let quoted = columns.map { "\"\($0)\"" }
        let updates = columns.filter { $0 != key }.map { "\"\($0)\" = excluded.\"\($0)\"" }.joined(separator: ", ")
        let logger = self.logger
        for start in stride(from: 0, to: rows.count, by: 500) {
            let chunk = rows[start..<min(start + 500, rows.count)]
            var binds = PostgresBindings()
            var tuples: [String] = []
            for row in chunk {
                var placeholders: [String] = []
                for column in columns {
                    let value = row[column] ?? .null
                    if Self.integerColumns.contains(column) || Self.integerColumns.contains("\(column)@\(table)") {
                        binds.append(value.integer.map(Int.init))
                    } else if Self.realColumns.contains(column) {
                        binds.append(value.real)
                    } else {
                        binds.append(value.text)
                    }
                    placeholders.append("$\(binds.count)")
                }
                tuples.append("(" + placeholders.joined(separator: ", ") + ")")
            }
            let sql = "INSERT INTO \(table) (\(quoted.joined(separator: ", "))) VALUES \(tuples.joined(separator: ", ")) "
                + "ON CONFLICT (\(key)) DO UPDATE SET \(updates)"
            try await transaction("cannot copy \(table)") { connection in
                try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            }
        }
        if table == "peer_outbox" {
            // New messages continue after the copied ids.
            try await read("cannot copy peer_outbox") {
                try await client.query("SELECT setval(pg_get_serial_sequence('peer_outbox', 'id'), GREATEST((SELECT MAX(id) FROM peer_outbox), 1))",
                                       logger: logger)
            }
        }
        if table == "grants" { grantCache.invalidate() }
        if table == "resource_state" { resourceStateCache.invalidate() }
    }

    /// The chain's last entry (0 and the genesis hash when empty).
    func auditHead() async throws(TongbanError) -> (sequence: Int, hash: String) {
        let logger = self.logger
        return try await read("cannot read the audit log") {
            var head = (sequence: 0, hash: AuditChain.genesis)
            for try await (sequence, hash) in try await client.query("SELECT sequence, hash FROM audit_head WHERE id = 1",
                                                                     logger: logger).decode((Int, String).self) { head = (sequence, hash) }
            return head
        }
    }

    /// Appends entries copied from another store after `head`, which must still be the chain's head.
    func copyAudit(_ rows: [StateStore.ExportedRow], after head: (sequence: Int, hash: String)) async throws(TongbanError) -> (sequence: Int, hash: String) {
        let sequences = rows.map { Int($0["sequence"]?.integer ?? 0) }
        guard sequences == Array(head.sequence + 1...head.sequence + rows.count) else {
            throw TongbanError(.storeUnavailable, "the SQLite audit log has a gap after entry \(head.sequence)")
        }
        let ids = rows.map { $0["request_id"]?.text ?? "" }, directions = rows.map { $0["direction"]?.text ?? "" }
        let peers = rows.map { $0["peer"]?.text ?? "" }, times = rows.map { $0["time"]?.real ?? 0 }
        let entries = rows.map { $0["entry"]?.text ?? "" }, hashes = rows.map { $0["hash"]?.text ?? "" }
        let last = (sequence: sequences.last ?? head.sequence, hash: hashes.last ?? head.hash)
        let inbound = directions.indices.filter { directions[$0] == AuditEntry.Direction.inbound.rawValue }
        let logger = self.logger
        try await transaction("cannot copy audit entries") { connection in
            var current = (sequence: -1, hash: "")
            for try await (sequence, hash) in try await connection.query("SELECT sequence, hash FROM audit_head WHERE id = 1 FOR UPDATE",
                                                                         logger: logger).decode((Int, String).self) { current = (sequence, hash) }
            guard current.sequence == head.sequence, current.hash == head.hash else {
                throw TongbanError(.storeUnavailable, "the PostgreSQL audit log changed during the migration (a replica is running on it): stop it and run the migration again")
            }
            try await connection.query("""
                INSERT INTO audit(sequence, request_id, direction, peer, time, entry, hash)
                SELECT * FROM unnest(\(sequences)::int8[], \(ids)::text[], \(directions)::text[], \(peers)::text[], \(times)::float8[],
                                     \(entries)::text[], \(hashes)::text[])
                """, logger: logger)
            // Request ids of inbound entries: the replay protection; a caller's id repeated in the old log is kept once.
            try await connection.query("""
                INSERT INTO inbound_requests(peer, request_id, time)
                SELECT * FROM unnest(\(inbound.map { peers[$0] })::text[], \(inbound.map { ids[$0] })::text[], \(inbound.map { times[$0] })::float8[])
                ON CONFLICT DO NOTHING
                """, logger: logger)
            try await connection.query("UPDATE audit_head SET sequence = \(last.sequence), hash = \(last.hash) WHERE id = 1", logger: logger)
        }
        return last
    }

    /// The number of rows of `table` (records of `resource` when given).
    func count(of table: String, resource: String? = nil) async throws(TongbanError) -> Int {
        guard Self.copiedColumns[table] != nil || table == "records" || table == "audit" else { throw TongbanError(.internalError, "no table \(table)") }
        let query: PostgresQuery = resource.map { "SELECT COUNT(*) FROM records WHERE resource = \($0)" }
            ?? PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \(table)")
        let logger = self.logger
        return try await read("cannot count \(table)") {
            var count = 0
            for try await n in try await client.query(query, logger: logger).decode(Int.self) { count = n }
            return count
        }
    }

    /// The whole chain walked from entry 1 and re-hashed, read in pages.
    func verifyChain(page: Int, progress: @Sendable (Int) -> Void = { _ in }) async throws(TongbanError) -> AuditVerification {
        var walk = AuditChainWalk()
        var after = 0
        while true {
            let entries = try await auditPage(after: after, limit: page)
            if entries.isEmpty { break }
            for entry in entries where !walk.add(entry) { return walk.result }
            after = entries.last?.sequence ?? after
            progress(after)
        }
        return walk.result
    }

    func auditPage(after: Int, limit: Int) async throws(TongbanError) -> [AuditEntry] {
        let logger = self.logger
        return try await read("cannot read the audit log") {
            var entries: [AuditEntry] = []
            for try await (text, hash, sequence) in try await client.query("""
                SELECT entry, hash, sequence FROM audit WHERE sequence > \(after) ORDER BY sequence LIMIT \(limit)
                """, logger: logger).decode((String, String, Int).self) {
                var entry = try JSONCoding.decoder().decode(AuditEntry.self, from: Data(text.utf8))
                entry.hash = hash
                entry.sequence = sequence
                entries.append(entry)
            }
            return entries
        }
    }
}
