import Hummingbird
import TongbanConfig
import TongbanCore
import TongbanStore

/// The local listener's routes: health for load balancers and monitoring (department APIs come later).
enum LocalRoutes {
    static func router(state: GatewayState) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ProblemMiddleware<BasicRequestContext>())
        router.add(middleware: DepartmentAuthMiddleware(departments: state.configuration.departments))
        router.get("/healthz") { _, _ in
            let listeners = await state.readiness.isReady
            var storeUp = true
            do { try await state.store.ping() } catch { storeUp = false }
            let ok = listeners && storeUp
            let document = HealthDocument(status: ok ? "ok" : "unavailable", listeners: listeners, store: storeUp,
                                          province: state.configuration.province.rawValue)
            return JSONResponse(document, status: ok ? .ok : .serviceUnavailable)
        }
        LocalExchangeRoutes.add(to: router, state: state)
        return router
    }
}
