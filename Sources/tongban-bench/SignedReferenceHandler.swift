import Foundation
import NIOCore
import NIOHTTP1
import TongbanCore
import TongbanSigning

/// The `nio-signed` reference's only handler: `catalogue-304`'s signature work on a plain NIO pipeline, run
/// synchronously on the event loop with no task, router or middleware chain. For each request it does what the
/// gateway's `RequestSignatureMiddleware` and `ResponseSigningMiddleware` do with Tongban's own RFC 9421 code —
/// the request's signature inspected (components, freshness), its key matched and the P-256 signature verified,
/// the request id parsed and checked against the ids already seen, the body's `Content-Digest` checked when there
/// is a body — then answers `304` with the `ETag`, `Content-Digest` and a `tongban` signature bound to the
/// request's, which the bench's peer client verifies as it verifies the gateway's.
///
/// What it leaves out, so the figure is a floor for a rewrite rather than a second gateway: the caller's province
/// read from its TLS certificate (the gateway caches it per connection), admission limits, logging, metrics and
/// the catalogue's lookup (the `ETag` is fixed). Any request that fails a check gets an unsigned 401.
final class SignedReferenceHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// What every connection shares; used only on the one event loop, so without a lock.
    final class Shared: @unchecked Sendable {
        let signer: MessageSigner
        let callerKeyID: String
        let callerKey: MessageVerificationKey
        let etag: String
        let verifier = MessageVerifier(label: TongbanProfile.label)
        /// Request ids already answered (the gateway keeps them for its signature window; a run here is shorter).
        var seen = Set<UUID>()

        init(signer: MessageSigner, callerKeyID: String, callerKey: MessageVerificationKey, etag: String) {
            (self.signer, self.callerKeyID, self.callerKey, self.etag) = (signer, callerKeyID, callerKey, etag)
        }
    }

    private let shared: Shared
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(shared: Shared) {
        self.shared = shared
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            head = request
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            guard let request = head else { return }
            head = nil
            let fields = (try? answer(request)) ?? [("Content-Length", "0")]
            var response = HTTPResponseHead(version: request.version, status: fields.count > 1 ? .notModified : .unauthorized)
            for (name, value) in fields { response.headers.add(name: name, value: value) }
            context.write(wrapOutboundOut(.head(response)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    /// The fields of the signed `304`, or a thrown error for a request that fails a check.
    private func answer(_ request: HTTPRequestHead) throws -> [(String, String)] {
        var view = HTTPMessageView.request(method: request.method.rawValue, scheme: "https", authority: request.headers.first(name: "Host") ?? "",
                                           target: request.uri, fields: request.headers.map { (name: $0.name, value: $0.value) })
        let (input, signature) = try shared.verifier.inspect(view, required: TongbanProfile.requestComponents(hasBody: body.readableBytes > 0))
        guard input.keyID == shared.callerKeyID else { throw BenchError("unknown key") }
        try shared.verifier.verify(input, signature: signature, message: view, key: shared.callerKey)
        guard let requestID = view.field(TongbanProfile.requestIDField), let uuid = UUIDText.parse(requestID),
              shared.seen.insert(uuid).inserted else { throw BenchError("no fresh request id") }
        if body.readableBytes > 0 {
            guard let digest = view.field(ContentDigest.fieldName) else { throw BenchError("a body without Content-Digest") }
            try ContentDigest.verify(digest, body: body.readableBytesView)
        }
        guard request.method == .GET, request.uri == "/v1/catalogue", view.field("If-None-Match") == shared.etag else {
            throw BenchError("only a conditional catalogue request is answered")
        }
        SignatureFields.rememberSignatureMember(label: TongbanProfile.label, signature: signature, in: &view)
        var fields: [(String, String)] = [
            ("ETag", shared.etag), ("Vary", "Accept-Encoding"), ("Content-Length", "0"), ("Content-Type", "application/json"),
            (ContentDigest.fieldName, ContentDigest.field(for: [UInt8]())), (TongbanProfile.requestIDField, requestID),
        ]
        let signed = try shared.signer.sign(.response(status: 304, fields: fields.map { (name: $0.0, value: $0.1) }), request: view,
                                            covering: TongbanProfile.responseComponents(bindingRequest: true))
        fields.append((SignatureFields.inputName, signed.input))
        fields.append((SignatureFields.signatureName, signed.signature))
        return fields
    }
}
