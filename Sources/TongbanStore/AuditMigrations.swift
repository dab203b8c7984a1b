import GRDB
import TongbanCore

/// The audit log's database (`audit.sqlite`), a file of its own beside `tongban.sqlite`, and how a store made
/// before the split gets there.
///
/// Why a file of its own: SQLite has one writer per database file. With the audit log in the records' file, an
/// import held the only write lock for its whole transaction, and every exchange's audit commit — which must
/// reach the disk before the answer is sent — waited behind it: importing 10⁶ records stopped exchanges for
/// 18 s, and the health check (which the systemd watchdog runs) waited as long. In WAL mode a connection also
/// drops its page cache whenever its file changed since its last read, so every audit commit emptied the record
/// lookups' caches. Records now change only on imports; the audit log changes on every exchange. Nothing
/// writes the audit log and the other tables in one transaction, so the split costs no atomicity.
enum AuditMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-audit") { db in
            // `entry` is the canonical JSON the hash covers, so verification needs no schema.
            try db.execute(sql: """
                CREATE TABLE audit (
                    sequence INTEGER PRIMARY KEY,
                    request_id TEXT NOT NULL,
                    direction TEXT NOT NULL,
                    time REAL NOT NULL,
                    entry TEXT NOT NULL,
                    hash TEXT NOT NULL
                )
                """)
            try db.execute(sql: "CREATE INDEX audit_request ON audit(request_id)")
            try db.execute(sql: "CREATE INDEX audit_time ON audit(time)")
            // What the health check writes: the audit log must take a write for an exchange to be served.
            try db.execute(sql: "CREATE TABLE audit_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            try db.execute(sql: "INSERT INTO audit_meta(key, value) VALUES ('last_ping', '0')")
        }
        return migrator
    }

    /// Stores made before the split kept the audit log in `tongban.sqlite` (migration `v3-exchange`, which still
    /// creates it there, empty, in a new store). Copies it into the audit database in one transaction, then — once
    /// every entry is there with its hash and text — drops it from the old file in a second one: in WAL mode a
    /// transaction over two files is not atomic as a whole, so the copy is on disk before anything is removed.
    /// A start interrupted between the two finishes the job on the next start. Refuses, changing nothing, when
    /// both files hold entries and some of the old file's are not in the new one (say, `tongban.sqlite` restored
    /// from a backup made before the split while `audit.sqlite` stayed).
    static func moveLegacyLog(from mainPath: String, into audit: DatabasePool) throws {
        try audit.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS legacy", arguments: [mainPath])
            defer { try? db.execute(sql: "DETACH DATABASE legacy") }
            let legacyExists = try Bool.fetchOne(db, sql: """
                SELECT COUNT(*) > 0 FROM legacy.sqlite_master WHERE type = 'table' AND name = 'audit'
                """) ?? false
            guard legacyExists else { return }
            try db.inTransaction {
                let present = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM main.audit") ?? 0
                if present == 0 {
                    try db.execute(sql: """
                        INSERT INTO main.audit(sequence, request_id, direction, time, entry, hash)
                        SELECT sequence, request_id, direction, time, entry, hash FROM legacy.audit
                        """)
                }
                return .commit
            }
            try db.inTransaction {
                let missing = try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM legacy.audit AS old
                    LEFT JOIN main.audit AS new ON new.sequence = old.sequence AND new.hash = old.hash AND new.entry = old.entry
                    WHERE new.sequence IS NULL
                    """) ?? 0
                guard missing == 0 else {
                    throw TongbanError(.storeUnavailable, """
                        \(mainPath) and \(StateStore.auditFileName) both hold audit entries, and \(missing) of the first's are not \
                        in the second; nothing was changed — restore both files from the same backup (docs/operations.md)
                        """)
                }
                try db.execute(sql: "DROP TABLE legacy.audit")
                return .commit
            }
        }
    }
}
