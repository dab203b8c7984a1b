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
        return migrator
    }
}
