import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import TongbanCore
import TongbanSigning

/// Signs every peer-listener response, refusals included: compresses a body of 1 KiB or more as
/// `Accept-Encoding` allows (gzip preferred, then deflate), adds `Content-Digest` over the bytes sent and a
/// `tongban` signature over `@status`, `content-digest`, `content-type`, `tongban-request-id` and — when
/// the request carried a `tongban` signature — that signature, binding the answer to the question.
struct ResponseSigningMiddleware<Context: RequestContext>: RouterMiddleware {
    let signer: MessageSigner

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
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
        let requestView = HTTPMessageView(request: request)
        let binding = (try? SignatureFields.read(label: TongbanProfile.label, from: requestView)) != nil
        let view = HTTPMessageView.response(status: Int(response.status.code),
                                            fields: response.headers.map { (name: $0.name.canonicalName, value: $0.value) })
        do {
            let signed = try signer.sign(view, request: binding ? requestView : nil,
                                         covering: TongbanProfile.responseComponents(bindingRequest: binding))
            response.headers[HTTPField.Name(SignatureFields.inputName)!] = signed.input
            response.headers[HTTPField.Name(SignatureFields.signatureName)!] = signed.signature
        } catch {
            context.logger.error("cannot sign a response; refusing to send it unsigned")
            throw error
        }
        response.body = .init(byteBuffer: body)
        return response
    }
}

/// Collects a response body so it can be digested and signed before it is sent.
final class BodyCollector: ResponseBodyWriter {
    var buffer = ByteBuffer()

    func write(_ buffer: ByteBuffer) async throws {
        var copy = buffer
        self.buffer.writeBuffer(&copy)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
