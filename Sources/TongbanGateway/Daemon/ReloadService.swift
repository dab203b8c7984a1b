import Logging
import ServiceLifecycle
import TongbanConfig
import TongbanCore
import UnixSignals

/// SIGHUP (`systemctl reload`, `ExecReload=/bin/kill -HUP`): reloads the configuration and everything it
/// names (`GatewayState.reload`). A new configuration with any problem is refused as a whole; the old one
/// stays and every problem is logged. systemd is told `RELOADING=1` then `READY=1`.
struct ReloadService: Service {
    let state: GatewayState

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        // Stopped by cancelling the loop rather than with `cancelOnGracefulShutdown()`, which is built on
        // swift-async-algorithms' `merge` and can deadlock at shutdown (see `Listener`).
        let state = self.state
        let reloads = Task {
            for await _ in signals { _ = await Self.reload(state: state, trigger: "SIGHUP") }
        }
        await withTaskCancellationOrGracefulShutdownHandler {
            await reloads.value
        } onCancelOrGracefulShutdown: {
            reloads.cancel()
        }
    }

    /// One reload, told to systemd and logged; shared by SIGHUP and `tongbanctl reload`.
    static func reload(state: GatewayState, trigger: String) async -> ReloadReport {
        let (notifier, logger) = (state.notifier, state.logger)
        notifier.notify("RELOADING=1\nMONOTONIC_USEC=\(SystemdNotifier.monotonicMicroseconds())")
        let report = await state.reload()
        if report.applied {
            logger.notice("reloaded", metadata: ["tongban.trigger": .string(trigger),
                                                 "tongban.changes": .string(report.changes.isEmpty ? "none" : report.changes.joined(separator: "; "))])
        } else {
            for problem in report.problems { logger.error("reload refused: \(problem)", metadata: ["tongban.trigger": .string(trigger)]) }
            logger.error("reload refused: the previous configuration stays in force", metadata: ["tongban.trigger": .string(trigger)])
        }
        if report.applied {
            await CertificateWatchService.logWarnings(state: state, logger: logger)
            // A reload also asks the manifest's sources (their settings may have changed).
            _ = await state.refreshFederation(trigger: trigger)
        }
        notifier.notify("READY=1\nSTATUS=serving province \(state.configuration.province)")
        return report
    }
}
