import Foundation
import Glibc
import GRDB
import Synchronization
import TongbanCore

/// The province's embedded SQLite databases in the state directory, opened in WAL mode through GRDB pools
/// (concurrent readers, one writer, migrations applied on open): `tongban.sqlite` for records, resource states
/// and grants, and `audit.sqlite` for the audit log — a file of its own so that imports and audit commits never
/// wait for each other (see `AuditMigrations`).
public final class StateStore: ProvinceStore {
    public static let fileName = StateFiles.records
    /// The audit log's database, beside the main one.
    public static let auditFileName = StateFiles.audit

    public let path: String
    public let auditPath: String
    let pool: DatabasePool
    /// The audit log's own database (`audit.sqlite`).
    let auditPool: DatabasePool
    /// WAL checkpoints of each file, from connections of their own so they never run inside an exchange's commit.
    let checkpointers: (records: WALCheckpointer, audit: WALCheckpointer)
    /// Single-record reads on SQLite's C interface (the exchange's hot path; see `RecordLookup`).
    let lookup: RecordLookup
    /// Grants as last read; every exchange's policy needs them, and they change only through this store.
    let grantCache = Mutex(StoreCache<[Grant]>())
    /// Record counts and modification times per resource; every catalogue request needs them.
    let resourceStateCache = Mutex(StoreCache<[String: ResourceState]>())
    /// Audit appends waiting for the next group commit.
    let auditQueue = Mutex<AuditQueue>(AuditQueue())
    /// The algorithm new audit entries are hashed with (`audit.hash`; a reload may change it: a new segment begins).
    let auditHashSetting = Mutex<AuditHashAlgorithm>(.sha256)

    public var kind: StoreKind { .sqlite }
    /// Local files: a lookup or the grants' cache never waits on the network (the peer fast path reads them).
    public var readsWithoutWaiting: Bool { true }

    /// The algorithm of the next audit entries; entries that name none when appended take it.
    public var auditHash: AuditHashAlgorithm {
        get { auditHashSetting.withLock { $0 } }
        set { auditHashSetting.withLock { $0 = newValue } }
    }

    /// Opens (creating when needed) the store under `directory`, which is created with mode 0750.
    public init(directory: String) throws(TongbanError) {
        // The file being opened, named in a failure (an SQLite error names none).
        var opening = directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o750])
            path = directory + "/" + Self.fileName
            opening = path
            var configuration = Configuration()
            // Wait for a lock by polling every 0.2 ms, for up to 5 s. SQLite's own handler sleeps 1, 2, 5, 10 … 100 ms
            // between tries, so an audit commit held 10 ms by a WAL restart (see `checkpoint`) waited 18 ms or more.
            configuration.busyMode = .callback { tries in
                guard tries < 25_000 else { return false }
                usleep(200)
                return true
            }
            configuration.prepareDatabase { db in
                // No checkpoint inside a commit: SQLite's automatic one ran in whichever exchange's audit commit
                // crossed 1,000 WAL pages and held it (and every exchange queued behind it) for ≈ 20 ms of fsync —
                // the benchmark's p99. `checkpoint()` does it from a connection of its own instead.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            }
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.requireFullSync(pool, path: path)
            try StoreMigrations.migrator.migrate(pool)
            auditPath = directory + "/" + Self.auditFileName
            opening = auditPath
            auditPool = try DatabasePool(path: auditPath, configuration: configuration)
            try Self.requireFullSync(auditPool, path: auditPath)
            try AuditMigrations.migrator.migrate(auditPool)
            try AuditMigrations.moveLegacyLog(from: path, into: auditPool)
            checkpointers = (try WALCheckpointer(path: path), try WALCheckpointer(path: auditPath))
            lookup = RecordLookup(path: path)
        } catch let error as TongbanError {
            throw error
        } catch {
            let hint = access(opening, W_OK) != 0 && FileManager.default.fileExists(atPath: opening)
                ? " (this user cannot write it: is it owned by another user? tongband --check-config names such files)" : ""
            throw TongbanError(.storeUnavailable, "cannot open \(opening): \(error)\(hint)")
        }
    }

    /// Every commit reaches the disk before it returns: an audit entry written is an audit entry kept, and so is a
    /// grant or an import, even across a power loss (in WAL mode NORMAL may lose the last commits). Set on the
    /// pool's one writer after the pool is open — GRDB's `DatabasePool` sets `synchronous = NORMAL` on it when it
    /// turns WAL on, after `prepareDatabase` has run (until round ten a FULL set there was silently undone) — and
    /// read back, so that a store that would not sync every commit is not opened at all.
    static func requireFullSync(_ pool: DatabasePool, path: String) throws(TongbanError) {
        let level: Int?
        do {
            level = try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                return try Int.fetchOne(db, sql: "PRAGMA synchronous")
            }
        } catch {
            throw TongbanError(.storeUnavailable, "\(path): cannot set synchronous commits: \(error)")
        }
        guard level == 2 else {
            throw TongbanError(.storeUnavailable, "\(path): SQLite keeps synchronous at \(level.map(String.init) ?? "?"), not FULL (2)")
        }
    }

    /// Succeeds when the audit log takes a write and the records' database answers a read — what an exchange
    /// needs; the health check and the systemd watchdog call it. It does not wait for the records' write lock,
    /// which an import holds for as long as its transaction lasts (exchanges do not need it either).
    public func ping() async throws(TongbanError) {
        do {
            try await auditPool.write { db in
                try db.execute(sql: "UPDATE audit_meta SET value = ? WHERE key = 'last_ping'", arguments: [String(Date().timeIntervalSince1970)])
            }
            _ = try await pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'schema'") }
        } catch {
            throw TongbanError(.storeUnavailable, "state store does not answer: \(error)")
        }
    }

    /// WAL frames (4 KiB pages, so 64 MiB) past which `checkpoint()` also starts the WAL again from its beginning.
    public static let walRestartFrames = 16_384

    /// Copies committed pages from each file's WAL into its database (PASSIVE: it waits for no reader or writer
    /// and blocks none) and reports, per file, how many WAL frames there were, how many were copied, and whether
    /// the WAL was restarted. The daemon calls it every second; without it the WALs would only grow.
    ///
    /// Passive checkpoints alone do not bound a WAL under steady load: SQLite writes the WAL from its beginning
    /// again only when a writer finds every frame copied, and with commits arriving every millisecond one always
    /// lands during the copy — the benchmark saw the WAL grow by ≈ 20 MB/s at 2,000 exchanges/s for as long as they
    /// came, and every page read searches the WAL's index first. So past `restartingAbove` frames a RESTART
    /// checkpoint follows: it copies what the passive one left and waits for readers to leave the WAL (a lookup
    /// takes microseconds), after which the next commit writes from the file's beginning; the file keeps its
    /// size, so it is never larger than its largest burst. Writers wait while it runs (11–15 ms measured), so it
    /// runs only when the passive copy left at most 1,024 frames, after the database file was flushed, and waits
    /// for readers at most 200 ms; otherwise it is left to the next call. (TRUNCATE, which also empties the file,
    /// held writers for 0.3–1 s when the file was large, as after an import.)
    @discardableResult
    public func checkpoint(restartingAbove limit: Int = StateStore.walRestartFrames) async throws(TongbanError)
        -> (records: WALCheckpoint, audit: WALCheckpoint) {
        do {
            let audit = try await checkpointers.audit.run(restartingAbove: limit)
            let records = try await checkpointers.records.run(restartingAbove: limit)
            return (records, audit)
        } catch {
            throw TongbanError(.storeUnavailable, "WAL checkpoint failed: \(error)")
        }
    }

    /// The WAL checkpoints (`checkpoint()`).
    public func maintain() async throws(TongbanError) -> StoreMaintenance {
        let done = try await checkpoint()
        return StoreMaintenance(recordsCheckpoint: done.records.duration, auditCheckpoint: done.audit.duration)
    }

    /// The schema version applied: the last migration of the records' file.
    public func schemaVersion() async throws(TongbanError) -> String {
        do {
            return try await pool.read { db in
                try String.fetchOne(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid DESC LIMIT 1") ?? "none"
            }
        } catch {
            throw TongbanError(.storeUnavailable, "cannot read the schema version: \(error)")
        }
    }

    public func close() async { try? closeFiles() }

    public func closeFiles() throws {
        try checkpointers.records.close()
        try checkpointers.audit.close()
        try auditPool.close()
        try pool.close()
    }
}
