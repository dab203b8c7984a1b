import Hummingbird
import TongbanCore

/// The peer listener's routes: what other provinces' gateways may call.
enum PeerRoutes {
    static func router(state: GatewayState) -> Router<PeerRequestContext> {
        let router = Router(context: PeerRequestContext.self)
        router.add(middleware: ProblemMiddleware<PeerRequestContext>())
        router.add(middleware: PeerIdentityMiddleware())
        router.get("/v1/identity") { _, _ in
            JSONResponse(state.identity)
        }
        return router
    }
}
