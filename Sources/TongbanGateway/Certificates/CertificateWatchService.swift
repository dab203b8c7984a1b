import Logging
import ServiceLifecycle

/// Logs a warning for every own or peer certificate within 30 days of expiry: at start-up and then every
/// `interval` (an hour in the daemon), so the journal and any log alert see it daily until it is renewed.
struct CertificateWatchService: Service {
    let state: GatewayState
    let interval: Duration
    let logger: Logger

    /// One warning line per certificate within the warning period (also after every reload).
    static func logWarnings(state: GatewayState, logger: Logger) async {
        for warning in await state.certificateWarnings() {
            logger.warning("certificate expiry: \(warning.message)", metadata: [
                "tongban.code": "tongban.certificate.expiring", "tongban.certificate.owner": .string(warning.owner),
                "tongban.certificate.usage": .string(warning.usage), "tongban.certificate.days": .stringConvertible(warning.daysLeft)])
        }
    }

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await Self.logWarnings(state: state, logger: logger)
            await Task.pause(for: interval)
        }
    }
}
