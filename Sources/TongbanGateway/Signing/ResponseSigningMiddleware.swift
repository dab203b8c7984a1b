import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanStore
import TongbanSigning

/// Signs every peer-listener response, refusals included: compresses a body of 1 KiB or more as
/// `Accept-Encoding` allows (gzip preferred, then deflate), adds `Content-Digest` over the bytes sent and a
/// `tongban` signature over `@status`, `content-digest`, `content-type`, `tongban-request-id` and — when
/// the request carried a `tongban` signature — that signature, binding the answer to the question.
///
/// It also counts every answer for the metrics (`GatewayMetrics`): the exchange, its bytes, the records it
/// provided, and the problem code of a refusal.
struct ResponseSigningMiddleware: RouterMiddleware {
    typealias Context = PeerRequestContext
    let state: GatewayState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var context = context
        let recorder = AuditRecorder()
        context.audit = recorder
        // One set of keys for the whole exchange, even if a reload replaces it meanwhile; the key is chosen for the
        // caller (an algorithm it accepts) once it is known.
        let keys = state.runtime.keys
        let signed = try await answer(request, context: context, next: next, recorder: recorder, keys: keys, start: start)
        let status = Int(signed.response.status.code)
        state.metrics.exchange(peer: recorder.caller?.rawValue ?? "", endpoint: Self.endpoint(request.uri.path), direction: .inbound,
                               status: status, duration: ContinuousClock.now - start, wireBytes: signed.bytes,
                               uncompressedBytes: signed.uncompressed.readableBytes, records: status == 200 ? recorder.records : 0)
        if status >= 400, case .string(let code)? = (try? JSONValue.parse(String(buffer: signed.uncompressed)))?["code"] {
            state.metrics.refusal(code: code)
        }
        return signed.response
    }

    /// The endpoint's last path segment (`/v1/query` → `query`), or `other` for paths that are not endpoints.
    static func endpoint(_ path: String) -> String {
        switch path {
        case "/v1/query": "query"
        case "/v1/verify": "verify"
        case "/v1/catalogue": "catalogue"
        case "/v1/identity": "identity"
        case "/v1/ping": "ping"
        case _ where path == "/v1/applications" || path.hasPrefix("/v1/applications/"): "applications"
        default: "other"
        }
    }

    func answer(_ request: Request, context: Context, next: (Request, Context) async throws -> Response, recorder: AuditRecorder,
                keys: GatewayPeerKeys, start: ContinuousClock.Instant) async throws -> Signed {
        var response = try await next(request, context)
        let signer = keys.signer(for: recorder.caller)
        if var draft = recorder.draft {
            // Sign first so the entry carries the response signature, then write it before anything is sent.
            var signed = try await sign(response, request: request, context: context, signer: signer)
            draft.status = Int(signed.response.status.code)
            draft.responseSignature = signed.signatureFields
            draft.bytes = signed.bytes
            let elapsed = ContinuousClock.now - start
            draft.latencyMilliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            do {
                try await state.appendAudit(draft)
                return signed
            } catch let error where error.code == .requestReplayed {
                // A shared store found the request id served already, by another replica: a replay, refused as one.
                let problem = Problem(.requestReplayed, detail: "request id \(draft.requestId) was already used", requestId: draft.requestId)
                response = try problem.response(from: request, context: context)
                response.headers[RequestID.headerName] = draft.requestId
                signed = try await sign(response, request: request, context: context, signer: signer)
                return signed
            } catch {
                context.logger.error("audit log unavailable: refusing the exchange", metadata: ["tongban.code": .string(TongbanError.Code.auditUnavailable.rawValue)])
                let problem = Problem(.auditUnavailable, detail: "the exchange cannot be audited, so it is refused", requestId: draft.requestId)
                response = try problem.response(from: request, context: context)
                response.headers[RequestID.headerName] = draft.requestId
                signed = try await sign(response, request: request, context: context, signer: signer)
                return signed
            }
        }
        return try await sign(response, request: request, context: context, signer: signer)
    }

    struct Signed {
        var response: Response
        var signatureFields: String
        /// Body bytes as sent.
        var bytes: Int
        /// The body before compression.
        var uncompressed: ByteBuffer
    }

    func sign(_ response: Response, request: Request, context: Context, signer: MessageSigner) async throws -> Signed {
        var response = response
        let collector = BodyCollector()
        try await response.body.write(collector)
        // A verified request is bound from the view its verification built; any other request that carries a
        // `tongban` signature (a refusal of a bad one) is parsed here, so its refusal is bound to it too.
        let verified = context.audit?.signedRequest
        let requestView = verified?.view ?? HTTPMessageView(request: request)
        let binding = verified != nil || (try? SignatureFields.read(label: TongbanProfile.label, from: requestView)) != nil
        do {
            let signed = try AnswerSigning.sign(
                status: Int(response.status.code), fields: response.headers.map { (name: $0.name.canonicalName, value: $0.value) },
                body: collector.buffer, acceptEncoding: request.headers[.acceptEncoding], compressionLevel: state.configuration.compressionLevel,
                request: binding ? requestView : nil, signer: signer)
            var headers = HTTPFields()
            for field in signed.fields { headers.append(HTTPField(name: HTTPField.Name(field.name)!, value: field.value)) }
            response.headers = headers
            response.body = .init(byteBuffer: signed.body)
            return Signed(response: response, signatureFields: signed.signatureFields, bytes: signed.body.readableBytes,
                          uncompressed: signed.uncompressed)
        } catch {
            context.logger.error("cannot sign a response; refusing to send it unsigned")
            throw error
        }
    }
}
