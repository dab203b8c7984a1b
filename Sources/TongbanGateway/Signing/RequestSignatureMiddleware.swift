import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanPKI
import TongbanSigning

/// Checks the `tongban` signature of every peer request before any handler runs (docs/protocol.md):
/// presence and syntax, covered components, freshness, the key (which must belong to the TLS caller's
/// province, in the federation manifest, in force and not revoked), the signature, replay, and the
/// Content-Digest of the body. `GET /v1/identity` (a diagnostic) is exempt.
struct RequestSignatureMiddleware: RouterMiddleware {
    typealias Context = PeerRequestContext

    let state: GatewayState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        var context = context
        let runtime = state.runtime
        let federation = state.federation.current
        let replays = state.replays
        let maximumDecoded = runtime.configuration.maxDecompressedBytes
        let body = try await request.body.collect(upTo: runtime.configuration.maxRequestBodyBytes)
        request.body = .init(buffer: body)
        let view = HTTPMessageView(request: request)
        context.signedRequest = nil
        if request.method == .get, request.uri.path == "/v1/identity" {
            return try await next(request, context)
        }
        guard let caller = context.peerProvince else {
            throw Problem(.identityMissing, detail: "no calling province")
        }
        do {
            let verified = try RequestVerification.signature(of: view, hasBody: body.readableBytes > 0, authority: request.head.authority ?? "",
                                                             caller: caller, runtime: runtime, federation: federation)
            let (input, signature, keyID) = (verified.input, verified.signature, verified.keyID)
            guard replays.record(verified.requestID, from: caller) else {
                throw Problem(.requestReplayed, detail: "request id \(view.field(TongbanProfile.requestIDField) ?? "") was already used")
            }
            try RequestVerification.digest(of: view, body: body.readableBytesView)
            // The digest and signature cover the bytes as sent; only now is the body decoded, capped.
            switch request.headers[.contentEncoding]?.lowercased() {
            case nil, "identity": break
            case "gzip": request.body = .init(buffer: try ContentCoding.gzip.decode(body, limit: maximumDecoded))
            case "deflate": request.body = .init(buffer: try ContentCoding.deflate.decode(body, limit: maximumDecoded))
            case let other?:
                throw Problem(.encodingUnsupported, detail: "Content-Encoding \(other) is not supported (gzip, deflate)")
            }
            // The answer's signature covers this request's signature member: remember its serialisation so that
            // signing the answer need not parse the Signature field a second time.
            var view = view
            SignatureFields.rememberSignatureMember(label: TongbanProfile.label, signature: signature, in: &view)
            context.signedRequest = SignedRequest(view: view, input: input, keyID: keyID)
            context.audit?.signedRequest = context.signedRequest
            context.logger[metadataKey: "tongban.keyid"] = .string(String(keyID.prefix(16)))
        } catch let error as SignatureError {
            throw Problem(error.code, detail: error.reason)
        }
        return try await next(request, context)
    }
}

extension HTTPMessageView {
    /// The view of a Hummingbird request as RFC 9421 sees it; the scheme is always https on the peer listener.
    init(request: Request) {
        let fields = request.headers.map { (name: $0.name.canonicalName, value: $0.value) }
        let authority = request.head.authority ?? ""
        self = .request(method: request.method.rawValue, scheme: "https", authority: authority, target: request.uri.string, fields: fields)
    }
}
