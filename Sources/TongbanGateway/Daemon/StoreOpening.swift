import Logging
import TongbanConfig
import TongbanCore
import TongbanPostgres
import TongbanStore

/// Opens the store the configuration names (`store.kind`): SQLite files in the state directory, or the shared
/// PostgreSQL database.
enum StoreOpening {
    static func open(_ c: GatewayConfiguration, logger: Logger) async throws(TongbanError) -> any ProvinceStore {
        switch c.store.kind {
        case .sqlite:
            return try StateStore(directory: c.stateDirectory)
        case .postgresql:
            let settings = try postgresSettings(c.store)
            logger.info("opening the PostgreSQL store", metadata: ["tongban.store": .string(settings.redactedURL)])
            return try await PostgresStore(settings: settings, logger: logger)
        }
    }

    static func postgresSettings(_ store: StoreSettings) throws(TongbanError) -> PostgresSettings {
        guard let url = store.url else { throw TongbanError(.configInvalid, "store.kind postgresql needs store.url") }
        return try PostgresSettings(url: url, passwordFile: store.passwordFile, caFile: store.caFile, poolSize: store.poolSize,
                                    cacheSeconds: store.cacheSeconds, connectSeconds: store.connectSeconds)
    }
}
