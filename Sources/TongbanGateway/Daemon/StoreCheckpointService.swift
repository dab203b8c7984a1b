import Logging
import ServiceLifecycle
import TongbanCore
import TongbanStore

/// Checkpoints the store's WAL every `interval` from its own connection (see `StateStore.checkpoint`), so no
/// exchange's audit commit pays for one, and times each for `tongban_store_checkpoint_seconds`. A failure is
/// logged and tried again at the next interval.
struct StoreCheckpointService: Service {
    let store: any ProvinceStore
    let interval: Duration
    let metrics: GatewayMetrics
    let logger: Logger

    func run() async throws {
        var failing = false
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await Task.pause(for: interval)
            do {
                let done = try await store.maintain()
                if let duration = done.recordsCheckpoint { metrics.checkpoint(.records, duration: duration) }
                if let duration = done.auditCheckpoint { metrics.checkpoint(.audit, duration: duration) }
                if failing { logger.notice("WAL checkpoints work again") }
                failing = false
            } catch {
                if Task.isCancelled || Task.isShuttingDownGracefully { break }
                if !failing { logger.warning("WAL checkpoint failed; retrying every \(interval)", metadata: ["tongban.code": .string(error.code.rawValue)]) }
                failing = true
            }
        }
    }
}
