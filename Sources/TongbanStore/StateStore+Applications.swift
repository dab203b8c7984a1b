import Foundation
import GRDB
import Synchronization
import TongbanCore

extension StateStore {
    /// Stores a new application, or returns the one already stored under its id (nothing is changed then): a
    /// submission sent again after a lost answer finds the first.
    public func insertApplication(_ application: SharingApplication) async throws(TongbanError) -> SharingApplication? {
        do {
            let text = try Self.text(application)
            return try await pool.write { db -> SharingApplication? in
                if let existing = try Self.fetchApplication(db, id: application.id) { return existing }
                try db.execute(sql: """
                    INSERT INTO applications(id, direction, peer, state, due_date, expires_at, received_at, application)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [application.id, application.direction.rawValue, application.peer, application.state.rawValue,
                                     application.dueDate.description, application.expiresAt.timeIntervalSince1970,
                                     application.receivedAt.timeIntervalSince1970, text])
                return nil
            }
        } catch {
            throw TongbanError(.storeUnavailable, "cannot store application \(application.id): \(error)")
        }
    }

    public func application(id: String) async throws(TongbanError) -> SharingApplication? {
        do { return try await pool.read { db in try Self.fetchApplication(db, id: id) } } catch {
            throw TongbanError(.storeUnavailable, "cannot read application \(id): \(error)")
        }
    }

    /// Applications, oldest first, of one direction and state when given, and expiring at or before `expiringBy`.
    public func applications(direction: ApplicationDirection?, state: ApplicationState?, expiringBy: Date?) async throws(TongbanError) -> [SharingApplication] {
        do {
            return try await pool.read { db in
                var conditions: [String] = []
                var arguments: [any DatabaseValueConvertible] = []
                if let direction { conditions.append("direction = ?"); arguments.append(direction.rawValue) }
                if let state { conditions.append("state = ?"); arguments.append(state.rawValue) }
                if let expiringBy { conditions.append("expires_at <= ?"); arguments.append(expiringBy.timeIntervalSince1970) }
                let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
                return try String.fetchAll(db, sql: "SELECT application FROM applications \(filter) ORDER BY received_at, id",
                                           arguments: StatementArguments(arguments)).map(Self.decodeApplication)
            }
        } catch {
            throw TongbanError(.storeUnavailable, "cannot read applications: \(error)")
        }
    }

    /// Changes application `id` in one transaction: `transition` (the pure state machine) gets the stored record and
    /// returns the next one, or nil for no change, or throws a refusal; with the change, the grant it made is stored
    /// (refused when an active grant for the same peer, resource and matter exists) and the message for the peer put
    /// in the outbox. Returns the record before and after.
    public func updateApplication(_ id: String, grant: Grant?, outbox: (@Sendable (SharingApplication) -> OutboxMessage?)?, at now: Date,
                                  _ transition: @escaping @Sendable (SharingApplication) throws(TongbanError) -> SharingApplication?)
        async throws(TongbanError) -> (before: SharingApplication, after: SharingApplication)? {
        do {
            let result = try await pool.write { db -> (SharingApplication, SharingApplication)? in
                guard let stored = try Self.fetchApplication(db, id: id) else {
                    throw TongbanError(.applicationUnknown, "no application \(id)")
                }
                guard let next = try transition(stored) else { return nil }
                if let grant {
                    for text in try String.fetchAll(db, sql: "SELECT grant FROM grants") {
                        let existing = try JSONCoding.decoder().decode(Grant.self, from: Data(text.utf8))
                        if grant.overlaps(existing, at: now) {
                            throw TongbanError(.requestInvalid, "grant \(existing.id) already lets province \(existing.peer) obtain \(existing.resource) "
                                               + "for matter \(existing.matter) until \(ISO8601.string(existing.validUntil)): one active grant at a time; "
                                               + "tongbanctl grant revoke \(existing.id) first, or refuse the application")
                        }
                    }
                    try db.execute(sql: "INSERT INTO grants(id, grant, created_at) VALUES (?, ?, ?)",
                                   arguments: [grant.id, String(decoding: try JSONCoding.encoder().encode(grant), as: UTF8.self), now.timeIntervalSince1970])
                }
                try db.execute(sql: "UPDATE applications SET state = ?, application = ? WHERE id = ?",
                               arguments: [next.state.rawValue, try Self.text(next), id])
                if let message = outbox?(next) { try Self.enqueue(db, message, at: now) }
                return (stored, next)
            }
            if grant != nil, result != nil { grantCache.withLock { $0.invalidate() } }
            return result.map { (before: $0.0, after: $0.1) }
        } catch let error as TongbanError {
            throw error
        } catch {
            throw TongbanError(.storeUnavailable, "cannot update application \(id): \(error)")
        }
    }

    // MARK: The outbox

    /// Messages due for an attempt at `now`, oldest first.
    public func dueOutboxMessages(at now: Date, limit: Int) async throws(TongbanError) -> [OutboxMessage] {
        do {
            return try await pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT * FROM peer_outbox WHERE delivered_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= ?
                    ORDER BY next_attempt_at, id LIMIT ?
                    """, arguments: [now.timeIntervalSince1970, limit]).map(Self.message)
            }
        } catch {
            throw TongbanError(.storeUnavailable, "cannot read the outbox: \(error)")
        }
    }

    /// Messages neither delivered nor abandoned.
    public func pendingOutboxCount() async throws(TongbanError) -> Int {
        do {
            return try await pool.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM peer_outbox WHERE delivered_at IS NULL AND abandoned_at IS NULL") ?? 0
            }
        } catch {
            throw TongbanError(.storeUnavailable, "cannot read the outbox: \(error)")
        }
    }

    /// Records an attempt: delivered, abandoned (the peer refused it for good), or to be tried again at `retryAt`.
    /// A delivered decision or outcome also marks its application or correction delivered.
    public func recordOutboxAttempt(_ message: OutboxMessage, delivered: Bool, abandoned: Bool, error: String?, retryAt: Date,
                                    at now: Date) async throws(TongbanError) {
        do {
            try await pool.write { db in
                try db.execute(sql: """
                    UPDATE peer_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, delivered_at = ?, abandoned_at = ?
                    WHERE id = ?
                    """, arguments: [retryAt.timeIntervalSince1970, error, delivered ? now.timeIntervalSince1970 : nil,
                                     abandoned ? now.timeIntervalSince1970 : nil, message.id])
                if delivered, var application = try Self.fetchApplication(db, id: message.subject), application.deliveredAt == nil {
                    application.deliveredAt = now
                    try db.execute(sql: "UPDATE applications SET application = ? WHERE id = ?", arguments: [try Self.text(application), application.id])
                }
                if delivered, var correction = try Self.fetchCorrection(db, id: message.subject), correction.deliveredAt == nil {
                    correction.deliveredAt = now
                    try db.execute(sql: "UPDATE corrections SET correction = ? WHERE id = ?", arguments: [try Self.text(correction), correction.id])
                }
            }
        } catch {
            throw TongbanError(.storeUnavailable, "cannot record an outbox attempt: \(error)")
        }
    }

    static func enqueue(_ db: Database, _ message: OutboxMessage, at now: Date) throws {
        try db.execute(sql: """
            INSERT INTO peer_outbox(peer, path, body, subject, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, 0, ?, ?)
            """, arguments: [message.peer, message.path, String(decoding: message.body, as: UTF8.self), message.subject,
                             message.nextAttemptAt.timeIntervalSince1970, now.timeIntervalSince1970])
    }

    static func message(_ row: Row) -> OutboxMessage {
        OutboxMessage(id: row["id"], peer: row["peer"], path: row["path"], body: Data((row["body"] as String).utf8), subject: row["subject"],
                      attempts: row["attempts"], nextAttemptAt: Date(timeIntervalSince1970: row["next_attempt_at"]), lastError: row["last_error"])
    }

    static func fetchApplication(_ db: Database, id: String) throws -> SharingApplication? {
        try String.fetchOne(db, sql: "SELECT application FROM applications WHERE id = ?", arguments: [id]).map(decodeApplication)
    }

    static func decodeApplication(_ text: String) throws -> SharingApplication {
        try JSONCoding.decoder().decode(SharingApplication.self, from: Data(text.utf8))
    }

    static func text(_ application: SharingApplication) throws -> String {
        String(decoding: try JSONCoding.encoder().encode(application), as: UTF8.self)
    }
}
