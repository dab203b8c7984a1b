import Foundation
import Logging
import Synchronization
import TongbanConfig
import ServiceLifecycle

/// Refreshes the federation manifest every `federation.refreshSeconds` (as configured now) — at once after the
/// start when the manifest in force is expiring or expired — and logs the manifest's warnings (expiry, no signing
/// key in force) at each turn. (The signing key itself is chosen per request from the manifest in force.)
struct FederationRefreshService: Service {
    let state: GatewayState

    func run() async throws {
        let settings = state.configuration.federation
        if state.federation.current.expiry(warning: settings.expiryWarningSeconds, grace: settings.expiryGraceSeconds) != .ok {
            _ = await state.refreshFederation(trigger: "start-up (manifest expiring or expired)")
        }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            for warning in state.federationWarnings() { state.logger.warning("federation: \(warning)") }
            let seconds = state.configuration.federation.refreshSeconds
            state.federation.record.withLock { $0.nextRefresh = Date().addingTimeInterval(TimeInterval(seconds)) }
            await Task.pause(for: .seconds(seconds))
            guard !Task.isCancelled && !Task.isShuttingDownGracefully else { break }
            await cancelWhenGracefulShutdown { [state] in
                _ = await state.refreshFederation(trigger: "every \(seconds) s")
            }
        }
    }
}
