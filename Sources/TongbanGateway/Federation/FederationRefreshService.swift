import Foundation
import Synchronization
import TongbanConfig
import ServiceLifecycle

/// Refreshes the federation manifest every `federation.refreshSeconds` (as configured now), and re-evaluates the
/// signing key when one of this province's keys comes into force or leaves it in between — the signer is chosen
/// per request from the manifest, so nothing is to be done then but to log it.
struct FederationRefreshService: Service {
    let state: GatewayState

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
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
