import Logging
import ServiceLifecycle
import TongbanConfig

/// Refreshes every peer's directory every `interval`, so a stale copy is at most that old while peers are up.
struct CatalogueRefreshService: Service {
    let peers: [GatewayConfiguration.Peer]
    let cache: PeerCatalogueCache
    let interval: Duration

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await withTaskGroup(of: Void.self) { group in
                for peer in peers { group.addTask { await cache.refresh(peer) } }
            }
            await Task.pause(for: interval)
        }
    }
}
