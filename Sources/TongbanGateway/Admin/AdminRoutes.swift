import Hummingbird
import TongbanClient
import TongbanConfig
import TongbanCore

/// The admin API on the unix socket (mode 0660): what `tongbanctl` asks the running daemon.
enum AdminRoutes {
    static func router(state: GatewayState) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ProblemMiddleware<BasicRequestContext>())
        router.get("/v1/status") { _, _ in
            JSONResponse(await state.status())
        }
        router.get("/v1/peers") { _, _ in
            let peers = state.configuration.peers
            let statuses = await withTaskGroup(of: (Int, PeerStatus).self) { group in
                for (index, peer) in peers.enumerated() {
                    group.addTask { (index, await state.peerClient.status(of: peer)) }
                }
                var results: [(Int, PeerStatus)] = []
                for await result in group { results.append(result) }
                return results.sorted { $0.0 < $1.0 }.map(\.1)
            }
            return JSONResponse(statuses)
        }
        return router
    }
}
