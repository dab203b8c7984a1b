import Logging
import ServiceLifecycle

/// Logs a warning for every own or peer certificate within 30 days of expiry: at start-up and then every
/// `interval` (an hour in the daemon), so the journal and any log alert see it daily until it is renewed.
struct CertificateWatchService: Service {
    let state: GatewayState
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            for warning in await state.certificateWarnings() {
                logger.warning("certificate expiry: \(warning.message)", metadata: [
                    "tongban.code": "tongban.certificate.expiring", "tongban.certificate.owner": .string(warning.owner),
                    "tongban.certificate.usage": .string(warning.usage), "tongban.certificate.days": .stringConvertible(warning.daysLeft)])
            }
            await Task.pause(for: interval)
        }
    }
}
