import Logging
import PostgresNIO
import TongbanCore

/// The PostgreSQL schema, as numbered migrations applied in order at start, each in its own transaction with its
/// number recorded in `tongban_schema`. Replicas that start together take turns (an advisory lock), so each
/// migration runs once. A database whose schema is newer than this build's list is refused: an older replica must
/// not write to tables it does not know. Never edit a released migration: add one.
enum PostgresMigrations {
    /// A key of `pg_advisory_lock` that only Tongban's migrations take.
    static let lockKey = 0x5442_4D49  // "TBMI"

    static let all: [(version: Int, name: String, statements: [String])] = [
        (1, "province state", [
            "CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "INSERT INTO store_meta(key, value) VALUES ('last_ping', '0')",
            // One row per record, as in SQLite; the primary key is the lookup index.
            """
            CREATE TABLE records (
                resource TEXT NOT NULL,
                subject TEXT NOT NULL,
                fields TEXT NOT NULL,
                updated_at DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (resource, subject)
            )
            """,
            "CREATE TABLE resource_state (resource TEXT PRIMARY KEY, modified_at DOUBLE PRECISION NOT NULL, record_count BIGINT NOT NULL)",
            #"CREATE TABLE grants (id TEXT PRIMARY KEY, "grant" TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL)"#,
            // The audit chain: `entry` is the canonical JSON the hash covers, as in SQLite; `peer` is its caller.
            """
            CREATE TABLE audit (
                sequence BIGINT PRIMARY KEY,
                request_id TEXT NOT NULL,
                direction TEXT NOT NULL,
                peer TEXT NOT NULL,
                time DOUBLE PRECISION NOT NULL,
                entry TEXT NOT NULL,
                hash TEXT NOT NULL
            )
            """,
            "CREATE INDEX audit_request ON audit(request_id)",
            "CREATE INDEX audit_time ON audit(time)",
            // The chain's last entry: every group commit locks this row, so commits of all replicas form one chain.
            "CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), sequence BIGINT NOT NULL, hash TEXT NOT NULL)",
            "INSERT INTO audit_head(id, sequence, hash) VALUES (1, 0, '\(String(repeating: "0", count: 64))')",
            // Each inbound request id once per caller, whichever replica served it: the replay protection replicas share.
            "CREATE TABLE inbound_requests (peer TEXT NOT NULL, request_id TEXT NOT NULL, time DOUBLE PRECISION NOT NULL, PRIMARY KEY (peer, request_id))",
            """
            CREATE TABLE applications (
                id TEXT PRIMARY KEY,
                direction TEXT NOT NULL,
                peer TEXT NOT NULL,
                state TEXT NOT NULL,
                due_date TEXT NOT NULL,
                expires_at DOUBLE PRECISION NOT NULL,
                received_at DOUBLE PRECISION NOT NULL,
                application TEXT NOT NULL
            )
            """,
            "CREATE INDEX applications_state ON applications(state, direction, due_date)",
            """
            CREATE TABLE peer_outbox (
                id BIGSERIAL PRIMARY KEY,
                peer TEXT NOT NULL,
                path TEXT NOT NULL,
                body TEXT NOT NULL,
                subject TEXT NOT NULL,
                attempts BIGINT NOT NULL,
                next_attempt_at DOUBLE PRECISION NOT NULL,
                created_at DOUBLE PRECISION NOT NULL,
                delivered_at DOUBLE PRECISION,
                abandoned_at DOUBLE PRECISION,
                last_error TEXT
            )
            """,
            "CREATE INDEX peer_outbox_due ON peer_outbox(delivered_at, abandoned_at, next_attempt_at)",
            """
            CREATE TABLE corrections (
                id TEXT PRIMARY KEY,
                direction TEXT NOT NULL,
                peer TEXT NOT NULL,
                state TEXT NOT NULL,
                due_date TEXT NOT NULL,
                received_at DOUBLE PRECISION NOT NULL,
                correction TEXT NOT NULL
            )
            """,
            "CREATE INDEX corrections_state ON corrections(state, direction, due_date)",
        ]),
    ]

    static var latest: Int { all.last?.version ?? 0 }

    /// Applies what is missing, under the migrations' advisory lock.
    static func apply(client: PostgresClient, logger: Logger, known: [(version: Int, name: String, statements: [String])] = all)
        async throws(TongbanError) {
        do {
            try await client.withConnection { connection in
                try await connection.query("SELECT pg_advisory_lock(\(lockKey))", logger: logger)
                do {
                    try await migrate(connection, logger: logger, known: known)
                    try await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
                } catch {
                    _ = try? await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
                    throw error
                }
            }
        } catch let error as TongbanError {
            throw error
        } catch {
            throw TongbanError(.storeUnavailable, "cannot migrate the PostgreSQL schema: \(PostgresStore.describe(error))")
        }
    }

    private static func migrate(_ connection: PostgresConnection, logger: Logger, known: [(version: Int, name: String, statements: [String])])
        async throws {
        try await connection.query("""
            CREATE TABLE IF NOT EXISTS tongban_schema (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
            """, logger: logger)
        var applied = 0
        for try await version in try await connection.query("SELECT COALESCE(MAX(version), 0) FROM tongban_schema", logger: logger).decode(Int.self) {
            applied = version
        }
        let newest = known.last?.version ?? 0
        guard applied <= newest else {
            throw TongbanError(.storeUnavailable, """
                the PostgreSQL schema is at version \(applied), newer than this tongband knows (\(newest)): a newer release migrated it; \
                run that release (or newer) on every replica
                """)
        }
        for migration in known where migration.version > applied {
            try await connection.withTransaction(logger: logger) { connection in
                for statement in migration.statements { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                try await connection.query("INSERT INTO tongban_schema(version, name) VALUES (\(migration.version), \(migration.name))", logger: logger)
            }
            logger.notice("PostgreSQL schema migrated", metadata: ["tongban.schema": "\(migration.version)", "tongban.migration": "\(migration.name)"])
        }
    }

    /// The last migration applied.
    static func appliedVersion(client: PostgresClient, logger: Logger) async throws(TongbanError) -> Int {
        do {
            var applied = 0
            for try await version in try await client.query("SELECT COALESCE(MAX(version), 0) FROM tongban_schema", logger: logger).decode(Int.self) {
                applied = version
            }
            return applied
        } catch {
            throw TongbanError(.storeUnavailable, "cannot read the PostgreSQL schema version: \(PostgresStore.describe(error))")
        }
    }
}
