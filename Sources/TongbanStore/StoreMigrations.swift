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
        migrator.registerMigration("v4-applications") { db in
            // Sharing applications, on both sides (docs/workflows.md, "Applications"). `application` is the JSON
            // document; the other columns are what lists filter and sort on. Plain SQL, portable to PostgreSQL.
            try db.execute(sql: """
                CREATE TABLE applications (
                    id TEXT PRIMARY KEY,
                    direction TEXT NOT NULL,
                    peer TEXT NOT NULL,
                    state TEXT NOT NULL,
                    due_date TEXT NOT NULL,
                    expires_at REAL NOT NULL,
                    received_at REAL NOT NULL,
                    application TEXT NOT NULL
                )
                """)
            try db.execute(sql: "CREATE INDEX applications_state ON applications(state, direction, due_date)")
            // Signed messages to peers that must arrive even if the peer is down when they are made (a decision to
            // its requester): retried with a growing pause until the peer acknowledges them.
            try db.execute(sql: """
                CREATE TABLE peer_outbox (
                    id INTEGER PRIMARY KEY,
                    peer TEXT NOT NULL,
                    path TEXT NOT NULL,
                    body TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    attempts INTEGER NOT NULL,
                    next_attempt_at REAL NOT NULL,
                    created_at REAL NOT NULL,
                    delivered_at REAL,
                    abandoned_at REAL,
                    last_error TEXT
                )
                """)
            try db.execute(sql: "CREATE INDEX peer_outbox_due ON peer_outbox(delivered_at, abandoned_at, next_attempt_at)")
        }
        migrator.registerMigration("v5-corrections") { db in
            // Corrections (校核纠错), on both sides (docs/workflows.md, "Corrections"): `correction` is the JSON document,
            // personal values included; the other columns are what lists filter and sort on. Their outcomes go to the
            // requester through `peer_outbox`, like application decisions.
            try db.execute(sql: """
                CREATE TABLE corrections (
                    id TEXT PRIMARY KEY,
                    direction TEXT NOT NULL,
                    peer TEXT NOT NULL,
                    state TEXT NOT NULL,
                    due_date TEXT NOT NULL,
                    received_at REAL NOT NULL,
                    correction TEXT NOT NULL
                )
                """)
            try db.execute(sql: "CREATE INDEX corrections_state ON corrections(state, direction, due_date)")
        }
        return migrator
    }
}
