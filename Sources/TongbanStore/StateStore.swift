import Foundation
import GRDB
import Synchronization
import TongbanCore

/// The province's embedded SQLite database (`tongban.sqlite` in the state directory), opened in WAL mode
/// through a GRDB pool: concurrent readers, one writer, migrations applied on open.
public final class StateStore: Sendable {
    public static let fileName = "tongban.sqlite"

    public let path: String
    let pool: DatabasePool
    /// Grants as last read; every exchange's policy needs them, and they change only through this store.
    let grantCache = Mutex(StoreCache<[Grant]>())
    /// Record counts and modification times per resource; every catalogue request needs them.
    let resourceStateCache = Mutex(StoreCache<[String: ResourceState]>())
    /// Audit appends waiting for the next group commit.
    let auditQueue = Mutex<AuditQueue>(AuditQueue())

    /// Opens (creating when needed) the store under `directory`, which is created with mode 0750.
    public init(directory: String) throws(TongbanError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o750])
            path = directory + "/" + Self.fileName
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            // Every commit reaches the disk before it returns: an audit entry written is an audit entry kept,
            // even across a power loss (WAL's default, NORMAL, may lose the last commits).
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            pool = try DatabasePool(path: path, configuration: configuration)
            try StoreMigrations.migrator.migrate(pool)
        } catch let error as TongbanError {
            throw error
        } catch {
            throw TongbanError(.storeUnavailable, "cannot open the state store in \(directory): \(error)")
        }
    }

    /// Succeeds when the database answers a read and a write; the health check and watchdog call it.
    public func ping() async throws(TongbanError) {
        do {
            try await pool.write { db in
                try db.execute(sql: "UPDATE store_meta SET value = ? WHERE key = 'last_ping'", arguments: [Date().timeIntervalSince1970])
            }
        } catch {
            throw TongbanError(.storeUnavailable, "state store does not answer: \(error)")
        }
    }

    /// The schema version applied, for `tongbanctl status`.
    public func schemaVersion() async throws -> String {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'schema'") ?? "unknown"
        }
    }

    public func close() throws {
        try pool.close()
    }
}
