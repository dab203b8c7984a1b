import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import TongbanClient
import TongbanCore
import TongbanStore
import TongbanSigning

/// Signs every peer-listener response, refusals included: compresses a body of 1 KiB or more as
/// `Accept-Encoding` allows (gzip preferred, then deflate), adds `Content-Digest` over the bytes sent and a
/// `tongban` signature over `@status`, `content-digest`, `content-type`, `tongban-request-id` and — when
/// the request carried a `tongban` signature — that signature, binding the answer to the question.
struct ResponseSigningMiddleware: RouterMiddleware {
    typealias Context = PeerRequestContext
    let signer: MessageSigner
    /// Writes an exchange's audit entry; when it fails the exchange is refused (503), never served unaudited.
    let audit: @Sendable (AuditEntry) async throws -> Void

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var context = context
        let recorder = AuditRecorder()
        context.audit = recorder
        var response = try await next(request, context)
        if var draft = recorder.draft {
            // Sign first so the entry carries the response signature, then write it before anything is sent.
            var signed = try await sign(response, request: request, context: context)
            draft.status = Int(signed.response.status.code)
            draft.responseSignature = signed.signatureFields
            draft.bytes = signed.bytes
            let elapsed = ContinuousClock.now - start
            draft.latencyMilliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            do {
                try await audit(draft)
                return signed.response
            } catch {
                context.logger.error("audit log unavailable: refusing the exchange", metadata: ["tongban.code": "tongban.audit.unavailable"])
                let problem = Problem(status: 503, code: "tongban.audit.unavailable", detail: "the exchange cannot be audited, so it is refused",
                                      requestId: draft.requestId)
                response = try problem.response(from: request, context: context)
                response.headers[RequestID.headerName] = draft.requestId
                signed = try await sign(response, request: request, context: context)
                return signed.response
            }
        }
        return try await sign(response, request: request, context: context).response
    }

    struct Signed {
        var response: Response
        var signatureFields: String
        var bytes: Int
    }

    func sign(_ response: Response, request: Request, context: Context) async throws -> Signed {
        var response = response
        let collector = BodyCollector()
        try await response.body.write(collector)
        var body = collector.buffer
        if body.readableBytes >= ContentCoding.minimumSize, response.headers[.contentEncoding] == nil,
           let coding = ContentCoding.preferred(request.headers[.acceptEncoding]) {
            body = try coding.encode(body)
            response.headers[.contentEncoding] = coding.rawValue
        }
        response.headers[.vary] = "Accept-Encoding"
        response.headers[.contentLength] = String(body.readableBytes)
        if response.headers[.contentType] == nil { response.headers[.contentType] = "application/json" }
        response.headers[HTTPField.Name(ContentDigest.fieldName)!] = ContentDigest.field(for: body.readableBytesView)
        // A verified request is bound from the view its verification built; any other request that carries a
        // `tongban` signature (a refusal of a bad one) is parsed here, so its refusal is bound to it too.
        let verified = context.audit?.signedRequest
        let requestView = verified?.view ?? HTTPMessageView(request: request)
        let binding = verified != nil || (try? SignatureFields.read(label: TongbanProfile.label, from: requestView)) != nil
        let view = HTTPMessageView.response(status: Int(response.status.code),
                                            fields: response.headers.map { (name: $0.name.canonicalName, value: $0.value) })
        do {
            let signed = try signer.sign(view, request: binding ? requestView : nil,
                                         covering: TongbanProfile.responseComponents(bindingRequest: binding))
            response.headers[HTTPField.Name(SignatureFields.inputName)!] = signed.input
            response.headers[HTTPField.Name(SignatureFields.signatureName)!] = signed.signature
            response.body = .init(byteBuffer: body)
            return Signed(response: response, signatureFields: signed.input + " " + signed.signature, bytes: body.readableBytes)
        } catch {
            context.logger.error("cannot sign a response; refusing to send it unsigned")
            throw error
        }
    }
}
