import Hummingbird
import Synchronization
import NIOCore
import TongbanConfig
import TongbanCore
import TongbanStore

/// The local listener's routes: health for load balancers, metrics for Prometheus, and the department API.
enum LocalRoutes {
    static func router(state: GatewayState) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ProblemMiddleware<BasicRequestContext>())
        router.add(middleware: HeaderLimitMiddleware<BasicRequestContext>(maximum: state.configuration.maxHeaderBytes))
        router.add(middleware: RequestFramingMiddleware<BasicRequestContext>())
        router.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: await state.metrics.render(state: state))))
        }
        router.get("/healthz") { _, _ in
            let listeners = await state.readiness.isReady
            var storeUp = true
            do { try await state.store.ping() } catch { storeUp = false }
            let draining = state.draining.load(ordering: .relaxed)
            let ok = listeners && storeUp && !draining
            var document = HealthDocument(status: draining ? "draining" : ok ? "ok" : "unavailable", listeners: listeners, store: storeUp,
                                          province: state.configuration.province.rawValue)
            document.draining = draining
            return JSONResponse(document, status: ok ? .ok : .serviceUnavailable)
        }
        LocalExchangeRoutes.add(to: router, state: state)
        return router
    }
}
