import Hummingbird
import NIOCore
import TongbanConfig
import TongbanCore
import TongbanSigning
import TongbanStore

/// The peer listener's routes: what other provinces' gateways may call.
enum PeerRoutes {
    /// `connections` is shared with the peer fast path (`PeerFastPath`), which answers only on connections whose
    /// identity the general path has read.
    static func router(state: GatewayState, connections: ConnectionProvinces = ConnectionProvinces()) -> Router<PeerRequestContext> {
        let router = Router(context: PeerRequestContext.self)
        router.add(middleware: ResponseSigningMiddleware(state: state))
        router.add(middleware: ProblemMiddleware<PeerRequestContext>())
        router.add(middleware: HeaderLimitMiddleware<PeerRequestContext>(maximum: state.configuration.maxHeaderBytes))
        router.add(middleware: RequestFramingMiddleware<PeerRequestContext>())
        router.add(middleware: PeerIdentityMiddleware(state: state, connections: connections))
        router.add(middleware: PeerLimitsMiddleware(limits: state.limits))
        router.add(middleware: RequestSignatureMiddleware(state: state))
        router.get("/v1/identity") { _, context in
            // The key that signs this very answer: the one chosen for the caller.
            let runtime = state.runtime
            let identity = runtime.identityJSON[runtime.keys.signer(for: context.peerProvince).keyID] ?? []
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: identity)))
        }
        // The signed manifest in force, byte for byte: peers ask for it when the hub is out of their reach.
        router.get("/v1/federation") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/jose"],
                     body: .init(byteBuffer: ByteBuffer(string: state.federation.current.jws)))
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
        router.post("/v1/applications") { request, context in
            try await ApplicationHandlers.submit(request, context: context, state: state)
        }
        router.get("/v1/applications/:id") { request, context in
            try await ApplicationHandlers.show(request, context: context, state: state)
        }
        router.post("/v1/applications/:id/withdraw") { request, context in
            try await ApplicationHandlers.withdraw(request, context: context, state: state)
        }
        router.post("/v1/applications/:id/decision") { request, context in
            try await ApplicationHandlers.decision(request, context: context, state: state)
        }
        router.post("/v1/corrections") { request, context in
            try await CorrectionHandlers.submit(request, context: context, state: state)
        }
        router.get("/v1/corrections/:id") { request, context in
            try await CorrectionHandlers.show(request, context: context, state: state)
        }
        router.post("/v1/corrections/:id/withdraw") { request, context in
            try await CorrectionHandlers.withdraw(request, context: context, state: state)
        }
        router.post("/v1/corrections/:id/outcome") { request, context in
            try await CorrectionHandlers.outcome(request, context: context, state: state)
        }
        router.post("/v1/ping") { request, context in
            let body = try await request.body.collect(upTo: state.configuration.maxDecompressedBytes)
            return JSONResponse(PingDocument(
                province: state.configuration.province.rawValue, caller: context.peerProvince?.rawValue ?? "",
                requestId: request.headers[RequestID.headerName] ?? "", receivedBytes: body.readableBytes))
        }
        return router
    }
}
