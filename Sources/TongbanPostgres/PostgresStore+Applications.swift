import Foundation
import PostgresNIO
import TongbanCore
import TongbanStore

extension PostgresStore {
    public func insertApplication(_ application: SharingApplication) async throws(TongbanError) -> SharingApplication? {
        let text = try Self.text(application)
        let logger = self.logger
        return try await transaction("cannot store application \(application.id)") { connection -> SharingApplication? in
            let inserted = try await connection.query("""
                INSERT INTO applications(id, direction, peer, state, due_date, expires_at, received_at, application)
                VALUES (\(application.id), \(application.direction.rawValue), \(application.peer), \(application.state.rawValue),
                        \(application.dueDate.description), \(application.expiresAt.timeIntervalSince1970),
                        \(application.receivedAt.timeIntervalSince1970), \(text))
                ON CONFLICT (id) DO NOTHING RETURNING id
                """, logger: logger).collect()
            if !inserted.isEmpty { return nil }
            return try await Self.fetchApplication(connection, id: application.id, logger: logger)
        }
    }

    public func application(id: String) async throws(TongbanError) -> SharingApplication? {
        let logger = self.logger
        return try await read("cannot read application \(id)") {
            try await client.withConnection { connection in try await Self.fetchApplication(connection, id: id, logger: logger) }
        }
    }

    public func applications(direction: ApplicationDirection?, state: ApplicationState?, expiringBy: Date?) async throws(TongbanError) -> [SharingApplication] {
        var conditions: [String] = []
        var binds = PostgresBindings()
        if let direction { binds.append(direction.rawValue); conditions.append("direction = $\(binds.count)") }
        if let state { binds.append(state.rawValue); conditions.append("state = $\(binds.count)") }
        if let expiringBy { binds.append(expiringBy.timeIntervalSince1970); conditions.append("expires_at <= $\(binds.count)") }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let query = PostgresQuery(unsafeSQL: "SELECT application FROM applications \(filter) ORDER BY received_at, id COLLATE \"C\"", binds: binds)
        let logger = self.logger
        return try await read("cannot read applications") {
            var result: [SharingApplication] = []
            for try await text in try await client.query(query, logger: logger).decode(String.self) { result.append(try Self.decodeApplication(text)) }
            return result
        }
    }

    /// As `StateStore.updateApplication`, with the application's row locked for the transaction (two replicas
    /// deciding at once take turns) and grants checked under the grants' lock.
    public func updateApplication(_ id: String, grant: Grant?, outbox: (@Sendable (SharingApplication) -> OutboxMessage?)?, at now: Date,
                                  _ transition: @escaping @Sendable (SharingApplication) throws(TongbanError) -> SharingApplication?)
        async throws(TongbanError) -> (before: SharingApplication, after: SharingApplication)? {
        let logger = self.logger
        let result = try await transaction("cannot update application \(id)") { connection -> (SharingApplication, SharingApplication)? in
            var text: String?
            for try await stored in try await connection.query("SELECT application FROM applications WHERE id = \(id) FOR UPDATE",
                                                               logger: logger).decode(String.self) { text = stored }
            guard let text else { throw TongbanError(.applicationUnknown, "no application \(id)") }
            let stored = try Self.decodeApplication(text)
            guard let next = try transition(stored) else { return nil }
            if let grant {
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.grantLockKey))", logger: logger)
                if let existing = try await Self.overlapping(grant, at: now, connection: connection, logger: logger) {
                    throw TongbanError(.requestInvalid, "grant \(existing.id) already lets province \(existing.peer) obtain \(existing.resource) "
                                       + "for matter \(existing.matter) until \(ISO8601.string(existing.validUntil)): one active grant at a time; "
                                       + "tongbanctl grant revoke \(existing.id) first, or refuse the application")
                }
                let grantText = String(decoding: try JSONCoding.encoder().encode(grant), as: UTF8.self)
                try await connection.query(#"INSERT INTO grants(id, "grant", created_at) VALUES (\#(grant.id), \#(grantText), \#(now.timeIntervalSince1970))"#,
                                           logger: logger)
            }
            try await connection.query("UPDATE applications SET state = \(next.state.rawValue), application = \(try Self.text(next)) WHERE id = \(id)",
                                       logger: logger)
            if let message = outbox?(next) { try await Self.enqueue(connection, message, at: now, logger: logger) }
            return (stored, next)
        }
        if grant != nil, result != nil { grantCache.invalidate() }
        return result.map { (before: $0.0, after: $0.1) }
    }

    // MARK: The outbox

    /// How long a replica holds the messages it took (`dueOutboxMessages`) before another may take them: longer than
    /// any delivery attempt (the peer client's timeout), shorter than the outbox's first retry pause.
    static let outboxLease: TimeInterval = 60

    /// Due messages, leased to this replica until `now + outboxLease` (or until `recordOutboxAttempt`), so another
    /// replica's sync does not send them too. Rows another replica is taking are skipped, not waited for.
    public func dueOutboxMessages(at now: Date, limit: Int) async throws(TongbanError) -> [OutboxMessage] {
        let logger = self.logger
        let lease = now.addingTimeInterval(Self.outboxLease).timeIntervalSince1970
        let messages = try await transaction("cannot read the outbox") { connection -> [OutboxMessage] in
            var messages: [OutboxMessage] = []
            let rows = try await connection.query("""
                WITH due AS (
                    SELECT id, next_attempt_at AS due_at FROM peer_outbox
                    WHERE delivered_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= \(now.timeIntervalSince1970)
                    ORDER BY next_attempt_at, id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                UPDATE peer_outbox AS o SET next_attempt_at = \(lease) FROM due WHERE o.id = due.id
                RETURNING o.id, o.peer, o.path, o.body, o.subject, o.attempts, due.due_at, o.last_error
                """, logger: logger)
            for try await (id, peer, path, body, subject, attempts, due, error) in rows.decode((Int, String, String, String, String, Int, Double, String?).self) {
                messages.append(OutboxMessage(id: Int64(id), peer: peer, path: path, body: Data(body.utf8), subject: subject, attempts: attempts,
                                              nextAttemptAt: Date(timeIntervalSince1970: due), lastError: error))
            }
            return messages
        }
        return messages.sorted { ($0.nextAttemptAt, $0.id) < ($1.nextAttemptAt, $1.id) }
    }

    public func pendingOutboxCount() async throws(TongbanError) -> Int {
        let logger = self.logger
        return try await read("cannot read the outbox") {
            var count = 0
            for try await n in try await client.query("SELECT COUNT(*) FROM peer_outbox WHERE delivered_at IS NULL AND abandoned_at IS NULL",
                                                      logger: logger).decode(Int.self) { count = n }
            return count
        }
    }

    public func recordOutboxAttempt(_ message: OutboxMessage, delivered: Bool, abandoned: Bool, error: String?, retryAt: Date, at now: Date)
        async throws(TongbanError) {
        let logger = self.logger
        let deliveredAt: Double? = delivered ? now.timeIntervalSince1970 : nil
        let abandonedAt: Double? = abandoned ? now.timeIntervalSince1970 : nil
        try await transaction("cannot record an outbox attempt") { connection in
            try await connection.query("""
                UPDATE peer_outbox SET attempts = attempts + 1, next_attempt_at = \(retryAt.timeIntervalSince1970), last_error = \(error),
                    delivered_at = \(deliveredAt), abandoned_at = \(abandonedAt)
                WHERE id = \(Int(message.id))
                """, logger: logger)
            guard delivered else { return }
            if var application = try await Self.fetchApplication(connection, id: message.subject, logger: logger), application.deliveredAt == nil {
                application.deliveredAt = now
                try await connection.query("UPDATE applications SET application = \(try Self.text(application)) WHERE id = \(application.id)", logger: logger)
            }
            if var correction = try await Self.fetchCorrection(connection, id: message.subject, logger: logger), correction.deliveredAt == nil {
                correction.deliveredAt = now
                try await connection.query("UPDATE corrections SET correction = \(try Self.text(correction)) WHERE id = \(correction.id)", logger: logger)
            }
        }
    }

    static func enqueue(_ connection: PostgresConnection, _ message: OutboxMessage, at now: Date, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO peer_outbox(peer, path, body, subject, attempts, next_attempt_at, created_at)
            VALUES (\(message.peer), \(message.path), \(String(decoding: message.body, as: UTF8.self)), \(message.subject), 0,
                    \(message.nextAttemptAt.timeIntervalSince1970), \(now.timeIntervalSince1970))
            """, logger: logger)
    }

    static func fetchApplication(_ connection: PostgresConnection, id: String, logger: Logger) async throws -> SharingApplication? {
        var result: SharingApplication?
        for try await text in try await connection.query("SELECT application FROM applications WHERE id = \(id)", logger: logger).decode(String.self) {
            result = try decodeApplication(text)
        }
        return result
    }

    static func decodeApplication(_ text: String) throws -> SharingApplication {
        try JSONCoding.decoder().decode(SharingApplication.self, from: Data(text.utf8))
    }

    static func text(_ application: SharingApplication) throws(TongbanError) -> String {
        do { return String(decoding: try JSONCoding.encoder().encode(application), as: UTF8.self) } catch {
            throw TongbanError(.storeUnavailable, "cannot encode application \(application.id): \(error)")
        }
    }
}
