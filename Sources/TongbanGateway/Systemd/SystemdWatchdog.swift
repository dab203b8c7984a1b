import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import TongbanStore

/// Sends `WATCHDOG=1` every half `WATCHDOG_USEC`, but only after checking that the event loops and the
/// state store still answer: a wedged daemon stops feeding the watchdog and systemd restarts it.
struct SystemdWatchdog {
    let interval: Duration
    let notifier: SystemdNotifier
    let state: GatewayState
    let logger: Logger

    func run() async {
        logger.info("systemd watchdog enabled", metadata: ["tongban.watchdog.interval": "\(interval)"])
        while !Task.isCancelled {
            if await healthy() {
                notifier.notify("WATCHDOG=1")
            } else {
                logger.error("health check failed: not feeding the systemd watchdog")
            }
            try? await Task.sleep(for: interval)
        }
    }

    func healthy() async -> Bool {
        do {
            for loop in MultiThreadedEventLoopGroup.singleton.makeIterator() {
                try await loop.submit {}.get()
            }
            try await state.store.ping()
            return true
        } catch {
            return false
        }
    }
}
