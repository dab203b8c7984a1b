import GRDB

/// Schema migrations, applied in order on open. Never edit a released migration: add a new one.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-meta") { db in
            try db.create(table: "store_meta") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
            try db.execute(sql: "INSERT INTO store_meta(key, value) VALUES ('schema', '1'), ('last_ping', '0')")
        }
        migrator.registerMigration("v2-records") { db in
            // One row per record; the primary key is the lookup index, so a query by subject stays
            // logarithmic from ten thousand to ten million records.
            try db.execute(sql: """
                CREATE TABLE records (
                    resource TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    fields TEXT NOT NULL,
                    updated_at REAL NOT NULL,
                    PRIMARY KEY (resource, subject)
                ) WITHOUT ROWID
                """)
            try db.execute(sql: """
                CREATE TABLE resource_state (
                    resource TEXT PRIMARY KEY,
                    modified_at REAL NOT NULL,
                    record_count INTEGER NOT NULL
                )
                """)
        }
        migrator.registerMigration("v3-exchange") { db in
            try db.execute(sql: """
                CREATE TABLE grants (
                    id TEXT PRIMARY KEY,
                    grant TEXT NOT NULL,
                    created_at REAL NOT NULL
                )
                """)
            // The audit chain: `entry` is the canonical JSON the hash covers, so verification needs no schema.
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
        }
        return migrator
    }
}
