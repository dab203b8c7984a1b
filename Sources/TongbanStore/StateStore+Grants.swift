import Foundation
import GRDB
import Synchronization
import TongbanCore

extension StateStore {
    /// Stores `grant` unless an active grant for the same peer, resource and matter exists: then that one is
    /// returned and nothing is stored. The check and the insert are one transaction, so two concurrent requests
    /// cannot both add one.
    public func addGrant(_ grant: Grant, at now: Date) async throws(TongbanError) -> Grant? {
        do {
            let text = String(decoding: try JSONCoding.encoder().encode(grant), as: UTF8.self)
            let active = try await pool.write { db -> Grant? in
                for stored in try String.fetchAll(db, sql: "SELECT grant FROM grants ORDER BY created_at") {
                    let existing = try JSONCoding.decoder().decode(Grant.self, from: Data(stored.utf8))
                    if grant.overlaps(existing, at: now) { return existing }
                }
                try db.execute(sql: "INSERT INTO grants(id, grant, created_at) VALUES (?, ?, ?)", arguments: [grant.id, text, Date().timeIntervalSince1970])
                return nil
            }
            if active == nil { grantCache.withLock { $0.invalidate() } }
            return active
        } catch {
            throw TongbanError(.storeUnavailable, "cannot store grant \(grant.id): \(error)")
        }
    }

    /// Every grant, revoked and expired ones included, oldest first (cached until a grant is added or revoked).
    /// The grants when they are cached (after the first `grants()` since the last change), without waiting;
    /// nil otherwise. The peer fast path takes the general path when nil.
    public var cachedGrants: [Grant]? { grantCache.withLock { $0.value } }

    public func grants() async throws(TongbanError) -> [Grant] {
        let (generation, cached) = grantCache.withLock { ($0.generation, $0.value) }
        if let cached { return cached }
        do {
            let grants = try await pool.read { db in
                try String.fetchAll(db, sql: "SELECT grant FROM grants ORDER BY created_at").map {
                    try JSONCoding.decoder().decode(Grant.self, from: Data($0.utf8))
                }
            }
            grantCache.withLock { $0.keep(grants, readAt: generation) }
            return grants
        } catch {
            throw TongbanError(.storeUnavailable, "cannot read grants: \(error)")
        }
    }

    /// Marks the grant revoked (it stays on record); false when there is no such active grant.
    public func revokeGrant(_ id: String, at now: Date) async throws(TongbanError) -> Bool {
        defer { grantCache.withLock { $0.invalidate() } }
        do {
            return try await pool.write { db in
                guard let text = try String.fetchOne(db, sql: "SELECT grant FROM grants WHERE id = ?", arguments: [id]) else { return false }
                var grant = try JSONCoding.decoder().decode(Grant.self, from: Data(text.utf8))
                guard grant.revokedAt == nil else { return false }
                grant.revokedAt = now
                try db.execute(sql: "UPDATE grants SET grant = ? WHERE id = ?",
                               arguments: [String(decoding: try JSONCoding.encoder().encode(grant), as: UTF8.self), id])
                return true
            }
        } catch {
            throw TongbanError(.storeUnavailable, "cannot revoke grant \(id): \(error)")
        }
    }
}
