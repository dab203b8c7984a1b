import Crypto
import Foundation
import PostgresNIO
import Synchronization
import TongbanCore
import TongbanStore

extension PostgresStore {
    /// Group commit, as in SQLite: entries that arrive while a commit is under way share the next one.
    public func appendAudit(_ entry: AuditEntry, completion: @escaping @Sendable (Result<AuditEntry, any Error>) -> Void) {
        if auditQueue.withLock({ $0.enqueue(entry, completion: completion) }) { Task { await self.commitAudit() } }
    }

    /// One transaction per round: lock the chain's head, claim the inbound request ids (a taken one refuses its
    /// entry as a replay, and the chain skips it), insert the entries after the head, move the head.
    func commitAudit() async {
        while true {
            let batch = auditQueue.withLock { $0.nextBatch() }
            if batch.isEmpty { return }
            let setting = auditHash
            let logger = self.logger
            do {
                let outcomes = try await client.withTransaction(logger: logger) { connection -> [AuditEntry?] in
                    var sequence = 0
                    var previous = AuditChain.genesis
                    for try await (s, h) in try await connection.query("SELECT sequence, hash FROM audit_head WHERE id = 1 FOR UPDATE",
                                                                       logger: logger).decode((Int, String).self) {
                        (sequence, previous) = (s, h)
                    }
                    let inbound = batch.filter { $0.entry.direction == .inbound }.map(\.entry)
                    var claimed = Set<String>()
                    if !inbound.isEmpty {
                        let rows = try await connection.query("""
                            INSERT INTO inbound_requests(peer, request_id, time)
                            SELECT * FROM unnest(\(inbound.map(\.peer))::text[], \(inbound.map(\.requestId))::text[], \(inbound.map { $0.time.timeIntervalSince1970 })::float8[])
                            ON CONFLICT DO NOTHING RETURNING peer, request_id
                            """, logger: logger)
                        for try await (peer, id) in rows.decode((String, String).self) { claimed.insert(peer + " " + id) }
                    }
                    var outcomes: [AuditEntry?] = []
                    var sequences: [Int] = [], ids: [String] = [], directions: [String] = [], peers: [String] = []
                    var times: [Double] = [], contents: [String] = [], hashes: [String] = []
                    for pending in batch {
                        if pending.entry.direction == .inbound, claimed.remove(pending.entry.peer + " " + pending.entry.requestId) == nil {
                            outcomes.append(nil)
                            continue
                        }
                        let (entry, content) = AuditChain.link(pending.entry, after: sequence, previous: previous, setting: setting)
                        (sequence, previous) = (entry.sequence, entry.hash)
                        sequences.append(entry.sequence); ids.append(entry.requestId); directions.append(entry.direction.rawValue)
                        peers.append(entry.peer); times.append(entry.time.timeIntervalSince1970); contents.append(content); hashes.append(entry.hash)
                        outcomes.append(entry)
                    }
                    if !sequences.isEmpty {
                        try await connection.query("""
                            INSERT INTO audit(sequence, request_id, direction, peer, time, entry, hash)
                            SELECT * FROM unnest(\(sequences)::int8[], \(ids)::text[], \(directions)::text[], \(peers)::text[], \(times)::float8[],
                                                 \(contents)::text[], \(hashes)::text[])
                            """, logger: logger)
                        try await connection.query("UPDATE audit_head SET sequence = \(sequence), hash = \(previous) WHERE id = 1", logger: logger)
                    }
                    return outcomes
                }
                for (pending, outcome) in zip(batch, outcomes) {
                    if let outcome {
                        pending.completion(.success(outcome))
                    } else {
                        pending.completion(.failure(TongbanError(.requestReplayed, "request id \(pending.entry.requestId) was already served (by this or another replica)")))
                    }
                }
            } catch {
                let failure = TongbanError(.auditUnavailable, "the audit log cannot be written: \(Self.describe(error))")
                for pending in batch { pending.completion(.failure(failure)) }
            }
        }
    }

    public func auditChainLength() async throws(TongbanError) -> Int {
        let logger = self.logger
        return try await read("cannot read the audit log") {
            var length = 0
            for try await sequence in try await client.query("SELECT sequence FROM audit_head WHERE id = 1", logger: logger).decode(Int.self) {
                length = sequence
            }
            return length
        }
    }

    public func auditEntries(requestId: String?, since: Date?, until: Date?, direction: AuditEntry.Direction?, last: Int?) async throws(TongbanError) -> [AuditEntry] {
        var conditions: [String] = []
        var binds = PostgresBindings()
        if let requestId { binds.append(requestId); conditions.append("request_id = $\(binds.count)") }
        if let since { binds.append(since.timeIntervalSince1970); conditions.append("time >= $\(binds.count)") }
        if let until { binds.append(until.timeIntervalSince1970); conditions.append("time < $\(binds.count)") }
        if let direction { binds.append(direction.rawValue); conditions.append("direction = $\(binds.count)") }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = last.map { "SELECT * FROM (SELECT entry, hash, sequence FROM audit \(filter) ORDER BY sequence DESC LIMIT \($0)) AS tail ORDER BY sequence" }
            ?? "SELECT entry, hash, sequence FROM audit \(filter) ORDER BY sequence"
        let logger = self.logger
        let query = PostgresQuery(unsafeSQL: sql, binds: binds)
        return try await read("cannot read the audit log") {
            var entries: [AuditEntry] = []
            for try await (text, hash, sequence) in try await client.query(query, logger: logger).decode((String, String, Int).self) {
                var entry = try JSONCoding.decoder().decode(AuditEntry.self, from: Data(text.utf8))
                entry.hash = hash
                entry.sequence = sequence
                entries.append(entry)
            }
            return entries
        }
    }

    public func recentInboundRequests(since: Date) async throws(TongbanError) -> [(requestId: String, peer: String, time: Date)] {
        let logger = self.logger
        return try await read("cannot read the audit log") {
            var recent: [(requestId: String, peer: String, time: Date)] = []
            for try await (id, peer, time) in try await client.query("""
                SELECT request_id, peer, time FROM inbound_requests WHERE time >= \(since.timeIntervalSince1970) ORDER BY time
                """, logger: logger).decode((String, String, Double).self) {
                recent.append((id, peer, Date(timeIntervalSince1970: time)))
            }
            return recent
        }
    }

    /// The audit secret, kept in the database so that every replica digests subjects alike: created by the first
    /// replica to start (or brought by `tongbanctl store migrate` from the SQLite state directory), never replaced.
    public func auditSecret() async throws(TongbanError) -> SymmetricKey {
        let hex = try await keepAuditSecret(Self.hex(SymmetricKey(size: .bits256)))
        guard let bytes = Self.bytes(hex: hex), bytes.count == StateFiles.auditSecretSize else {
            throw TongbanError(.configInvalid, "the audit secret in the PostgreSQL store is not \(StateFiles.auditSecretSize) bytes of hex: restore it from the backup")
        }
        return SymmetricKey(data: bytes)
    }

    /// Puts `secret` in the store unless one is there; throws when a different one is (a migration must not
    /// unlink the subject digests written before it from those written after).
    public func importAuditSecret(_ secret: SymmetricKey) async throws(TongbanError) {
        let hex = Self.hex(secret)
        guard try await keepAuditSecret(hex) == hex else {
            throw TongbanError(.storeUnavailable, "the PostgreSQL store already holds a different audit secret: it belongs to another province's state, or "
                               + "was made by a replica started before the migration; migrate into an empty database")
        }
    }

    /// Stores `hex` as the audit secret unless one is stored; returns the one stored (race-free across replicas).
    private func keepAuditSecret(_ hex: String) async throws(TongbanError) -> String {
        let logger = self.logger
        return try await read("cannot keep the audit secret") {
            try await client.query("INSERT INTO store_meta(key, value) VALUES ('audit_secret', \(hex)) ON CONFLICT DO NOTHING", logger: logger)
            var stored = ""
            for try await value in try await client.query("SELECT value FROM store_meta WHERE key = 'audit_secret'", logger: logger).decode(String.self) {
                stored = value
            }
            return stored
        }
    }

    static func hex(_ key: SymmetricKey) -> String {
        key.withUnsafeBytes { Data($0) }.map { String(format: "%02x", $0) }.joined()
    }

    static func bytes(hex: String) -> Data? {
        var data = Data()
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next() {
            guard let low = iterator.next(), let h = Self.nibble(high), let l = Self.nibble(low) else { return nil }
            data.append(h << 4 | l)
        }
        return data
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
