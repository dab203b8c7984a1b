import Foundation
import PostgresNIO
import TongbanCore
import TongbanStore

extension PostgresStore {
    /// A key of `pg_advisory_xact_lock` held while grants are checked and added: two replicas cannot both add an
    /// overlapping grant.
    static let grantLockKey = 0x5442_4752  // "TBGR"

    public func addGrant(_ grant: Grant, at now: Date) async throws(TongbanError) -> Grant? {
        let text: String
        do { text = String(decoding: try JSONCoding.encoder().encode(grant), as: UTF8.self) } catch {
            throw TongbanError(.storeUnavailable, "cannot encode grant \(grant.id): \(error)")
        }
        let logger = self.logger
        let active = try await transaction("cannot store grant \(grant.id)") { connection -> Grant? in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.grantLockKey))", logger: logger)
            if let existing = try await Self.overlapping(grant, at: now, connection: connection, logger: logger) { return existing }
            try await connection.query(#"INSERT INTO grants(id, "grant", created_at) VALUES (\#(grant.id), \#(text), \#(Date().timeIntervalSince1970))"#,
                                       logger: logger)
            return nil
        }
        if active == nil { grantCache.invalidate() }
        return active
    }

    /// The stored grant that `grant` overlaps, if any (inside a transaction holding `grantLockKey`).
    static func overlapping(_ grant: Grant, at now: Date, connection: PostgresConnection, logger: Logger) async throws -> Grant? {
        for try await stored in try await connection.query(#"SELECT "grant" FROM grants ORDER BY created_at, id"#, logger: logger).decode(String.self) {
            let existing = try JSONCoding.decoder().decode(Grant.self, from: Data(stored.utf8))
            if grant.overlaps(existing, at: now) { return existing }
        }
        return nil
    }

    /// Nil: the fast path, the only caller, does not run on a shared store.
    public var cachedGrants: [Grant]? { nil }

    public func grants() async throws(TongbanError) -> [Grant] {
        let (cached, generation) = grantCache.current()
        if let cached { return cached }
        let logger = self.logger
        let readAt = ContinuousClock.now
        let grants = try await read("cannot read grants") {
            var grants: [Grant] = []
            for try await text in try await client.query(#"SELECT "grant" FROM grants ORDER BY created_at, id"#, logger: logger).decode(String.self) {
                grants.append(try JSONCoding.decoder().decode(Grant.self, from: Data(text.utf8)))
            }
            return grants
        }
        grantCache.keep(grants, readAt: generation, time: readAt)
        return grants
    }

    public func revokeGrant(_ id: String, at now: Date) async throws(TongbanError) -> Bool {
        defer { grantCache.invalidate() }
        let logger = self.logger
        return try await transaction("cannot revoke grant \(id)") { connection -> Bool in
            var stored: String?
            for try await text in try await connection.query(#"SELECT "grant" FROM grants WHERE id = \#(id) FOR UPDATE"#, logger: logger).decode(String.self) {
                stored = text
            }
            guard let stored else { return false }
            var grant = try JSONCoding.decoder().decode(Grant.self, from: Data(stored.utf8))
            guard grant.revokedAt == nil else { return false }
            grant.revokedAt = now
            let text = String(decoding: try JSONCoding.encoder().encode(grant), as: UTF8.self)
            try await connection.query(#"UPDATE grants SET "grant" = \#(text) WHERE id = \#(id)"#, logger: logger)
            return true
        }
    }
}
