import Logging
import ServiceLifecycle
import TongbanConfig

/// Refreshes every active member's directory every `catalogue.peerRefreshSeconds` (as configured now: a
/// reload may change peers and interval), so a stale copy is at most that old while peers are up.
struct CatalogueRefreshService: Service {
    let state: GatewayState

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let runtime = state.runtime
            // A refresh still waiting on a peer when shutdown begins is cancelled, not waited for: against a peer
            // that refuses connections a call may take the whole peer timeout, which held the daemon's stop.
            await cancelWhenGracefulShutdown { [state] in
                await withTaskGroup(of: Void.self) { group in
                    for peer in state.callablePeers().peers {
                        group.addTask { await state.peerCatalogues.refresh(peer, client: runtime.peerClient) }
                    }
                }
            }
            await Task.pause(for: .seconds(runtime.configuration.peerCatalogueRefreshSeconds))
        }
    }
}
