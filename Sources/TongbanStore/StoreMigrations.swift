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
        return migrator
    }
}
