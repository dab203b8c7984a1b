import Foundation
import Logging
import PostgresNIO
import Synchronization
import TongbanCore
import TongbanStore

/// The province's state in a PostgreSQL database (`store.kind: postgresql`), which every replica of the province
/// shares (docs/deployment.md, "Two or more machines"). It keeps what `StateStore` keeps, in the same shape, and
/// passes the same conformance suite. What replicas need beyond that:
///
/// - **One audit chain per province.** Each group commit locks the chain's head row (`audit_head`), appends its
///   entries after it and moves it, in one transaction: commits from all replicas are serialised, and the log
///   verifies as one chain whichever replica wrote an entry. An answer leaves only after its entry's commit.
/// - **Replay protection across replicas.** An inbound entry's caller and request id go into `inbound_requests`,
///   whose primary key they are, in the same transaction: a request id served by one replica is refused by every
///   other as a replay (`requestReplayed`), without the exchange being served.
/// - **Caches with a stated age.** Grants and resource states are cached for `cacheSeconds` (default 1 s): a grant
///   or revocation made on one replica is in force on every other within that time; on the replica that made it,
///   at once.
/// - **Leased outbox messages**, so two replicas never send the same decision at once.
public final class PostgresStore: ProvinceStore {
    public var kind: StoreKind { .postgresql }
    /// Reads go over the network: the peer fast path, which must not wait on the event loop, stays off.
    public var readsWithoutWaiting: Bool { false }

    let client: PostgresClient
    private let runner: Task<Void, Never>
    let logger: Logger
    let settings: PostgresSettings
    let grantCache: TimedCache<[Grant]>
    let resourceStateCache: TimedCache<[String: ResourceState]>
    let auditQueue = Mutex(AuditQueue())
    private let auditHashSetting = Mutex<AuditHashAlgorithm>(.sha256)

    public var auditHash: AuditHashAlgorithm {
        get { auditHashSetting.withLock { $0 } }
        set { auditHashSetting.withLock { $0 = newValue } }
    }

    /// Connects, waits until the database answers (up to `settings.connectSeconds`), and applies the schema
    /// migrations this build knows. Refuses a database whose schema is newer than this build's.
    public init(settings: PostgresSettings, logger: Logger = Logger(label: "tongban.store")) async throws(TongbanError) {
        self.settings = settings
        self.logger = logger
        let configuration = try settings.clientConfiguration()
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
        grantCache = TimedCache(maximumAge: .seconds(settings.cacheSeconds))
        resourceStateCache = TimedCache(maximumAge: .seconds(settings.cacheSeconds))
        do {
            try await waitForDatabase()
            try await PostgresMigrations.apply(client: client, logger: logger)
        } catch {
            runner.cancel()
            throw error
        }
    }

    /// Tries one connection of its own every 250 ms until one answers or `connectSeconds` pass; the error names why
    /// the last failed (refused, authentication, no such database), which the pool's own retries would not tell.
    private func waitForDatabase() async throws(TongbanError) {
        let configuration = try settings.connectionConfiguration()
        let deadline = ContinuousClock.now + .seconds(settings.connectSeconds)
        var attempt = 0
        while true {
            attempt += 1
            do {
                let connection = try await PostgresConnection.connect(on: PostgresClient.defaultEventLoopGroup.any(), configuration: configuration,
                                                                      id: attempt, logger: logger).get()
                do {
                    try await connection.query("SELECT 1", logger: logger)
                    try? await connection.close()
                    return
                } catch {
                    try? await connection.close()
                    throw error
                }
            } catch {
                if ContinuousClock.now >= deadline {
                    throw TongbanError(.storeUnavailable, "cannot reach PostgreSQL at \(settings.redactedURL): \(Self.describe(error))")
                }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    public func ping() async throws(TongbanError) {
        do {
            try await client.query("UPDATE store_meta SET value = \(String(Date().timeIntervalSince1970)) WHERE key = 'last_ping'", logger: logger)
        } catch {
            throw TongbanError(.storeUnavailable, "the PostgreSQL store does not answer: \(Self.describe(error))")
        }
    }

    public func schemaVersion() async throws(TongbanError) -> String {
        let version = try await PostgresMigrations.appliedVersion(client: client, logger: logger)
        return String(version)
    }

    /// Nothing to checkpoint: PostgreSQL does its own. The caches expire on their own.
    public func maintain() async throws(TongbanError) -> StoreMaintenance { StoreMaintenance() }

    public func close() async {
        runner.cancel()
        _ = await runner.value
    }

    /// A PostgreSQL error as its server message and SQLSTATE, never the query's bound values (they may hold
    /// personal data).
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return message + (error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
            }
            return "\(error.code)"
        }
        if let error = error as? TongbanError { return error.message }
        return "\(type(of: error))"
    }

    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == PostgresError.Code.uniqueViolation.raw
    }

    /// Runs `body` in a transaction, mapping any failure but a `TongbanError` to `code` with `what`.
    func transaction<Result: Sendable>(_ what: String, code: TongbanError.Code = .storeUnavailable,
                                       _ body: (PostgresConnection) async throws -> sending Result) async throws(TongbanError) -> Result {
        do {
            return try await client.withTransaction(logger: logger, body)
        } catch let error as TongbanError {
            throw error
        } catch let error as PostgresTransactionError {
            if let inner = error.closureError as? TongbanError { throw inner }
            throw TongbanError(code, "\(what): \(Self.describe(error.closureError ?? error.commitError ?? error.beginError ?? error))")
        } catch {
            throw TongbanError(code, "\(what): \(Self.describe(error))")
        }
    }

    /// Runs a read, mapping any failure to `storeUnavailable` with `what`.
    func read<Result: Sendable>(_ what: String, _ body: () async throws -> Result) async throws(TongbanError) -> Result {
        do {
            return try await body()
        } catch let error as TongbanError {
            throw error
        } catch {
            throw TongbanError(.storeUnavailable, "\(what): \(Self.describe(error))")
        }
    }
}
