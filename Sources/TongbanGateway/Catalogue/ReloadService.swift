import Logging
import ServiceLifecycle
import UnixSignals

/// SIGHUP (`systemctl reload`, `ExecReload=/bin/kill -HUP`): re-reads the resource directory. An invalid
/// file is refused as a whole; the old directory stays and every problem is logged. systemd is told
/// `RELOADING=1` then `READY=1`.
struct ReloadService: Service {
    let registry: CatalogueRegistry
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            notifier.notify("RELOADING=1")
            let problems = await registry.reload()
            if problems.isEmpty {
                logger.notice("reloaded the resource directory")
            } else {
                for problem in problems { logger.error("reload refused: \(problem)") }
                logger.error("reload refused: the previous resource directory stays in force")
            }
            notifier.notify("READY=1")
        }
    }
}
