import Logging
import ServiceLifecycle

/// Tells systemd `STOPPING=1` as soon as graceful shutdown begins (SIGTERM, SIGINT).
struct ShutdownNotifierService: Service {
    let notifier: SystemdNotifier
    let logger: Logger
    /// Run when shutdown begins (stops the watchdog).
    let onShutdown: @Sendable () -> Void

    func run() async throws {
        try? await gracefulShutdown()
        logger.notice("shutting down: draining listeners")
        onShutdown()
        notifier.notify("STOPPING=1")
    }
}
