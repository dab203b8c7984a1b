import Hummingbird
import TongbanConfig
import TongbanCore
import TongbanStore

/// The peer listener's routes: what other provinces' gateways may call.
enum PeerRoutes {
    /// Largest request body the peer listener reads (bytes as sent).
    static let maximumBody = 16 * 1024 * 1024

    static func router(state: GatewayState) -> Router<PeerRequestContext> {
        let router = Router(context: PeerRequestContext.self)
        router.add(middleware: ResponseSigningMiddleware(signer: state.signer, audit: { entry in _ = try await state.store.appendAudit(entry) }))
        router.add(middleware: ProblemMiddleware<PeerRequestContext>())
        router.add(middleware: PeerIdentityMiddleware(connections: ConnectionProvinces()))
        router.add(middleware: PeerLimitsMiddleware(limits: PeerLimits(rate: state.configuration.peerRequestsPerSecond,
                                                                     burst: state.configuration.peerBurst,
                                                                     concurrent: state.configuration.concurrentPeerRequests)))
        router.add(middleware: RequestSignatureMiddleware(verifier: state.verifier, keys: state.signingKeys, replays: state.replays,
                                                          maximumBody: maximumBody, maximumDecoded: state.configuration.maxDecompressedBytes))
        router.get("/v1/identity") { _, _ in
            JSONResponse(state.identity)
        }
        router.get("/v1/catalogue") { request, context in
            try await CataloguePublishing.respond(to: request, context: context, state: state)
        }
        router.post("/v1/query") { request, context in
            try await ExchangeHandlers.query(request, context: context, state: state)
        }
        router.post("/v1/verify") { request, context in
            try await ExchangeHandlers.verify(request, context: context, state: state)
        }
        router.post("/v1/ping") { request, context in
            let body = try await request.body.collect(upTo: maximumBody)
            return JSONResponse(PingDocument(
                province: state.configuration.province.rawValue, caller: context.peerProvince?.rawValue ?? "",
                requestId: request.headers[RequestID.headerName] ?? "", receivedBytes: body.readableBytes))
        }
        return router
    }
}
