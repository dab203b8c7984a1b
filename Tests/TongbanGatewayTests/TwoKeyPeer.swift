import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
import TongbanCore
import TongbanPKI
import TongbanSigning

/// A peer listener of province 31 that publishes one signing key in `/v1/identity` and signs its answers to
/// every other request with another key of the same province — what a client meets when a peer's replicas
/// disagree, or a key rotates between its identity call and its answer. It counts the POSTs it received, so a
/// test can tell whether a client sent one twice. Real TLS (the province's certificate), real signatures.
final class TwoKeyPeer: Sendable {
    let channel: any Channel
    private final class Counter: Sendable {
        let value = Mutex(0)
    }
    private let posts = Counter()
    private let requests = Counter()
    var postsReceived: Int { posts.value.withLock { $0 } }
    /// Requests of any method that reached HTTP (past the TLS handshake).
    var requestsReceived: Int { requests.value.withLock { $0 } }

    /// `published` is the directory whose signing key `/v1/identity` shows (and signs it with); `answering` signs
    /// every other answer.
    init(tlsDirectory: String, published: String, answering: String, port: Int) async throws {
        let tls = TLSConfiguration.makeServerConfigurationWithMTLS(
            certificateChain: try NIOSSLCertificate.fromPEMFile(tlsDirectory + "/tls.crt").map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: tlsDirectory + "/tls.key", format: .pem)),
            trustRoots: .certificates(try NIOSSLCertificate.fromPEMFile(tlsDirectory + "/root.crt")))
        let context = try NIOSSLContext(configuration: tls)
        func signer(_ directory: String) throws -> MessageSigner {
            let certificate = try PEMFile.readCertificate(directory + "/signing.crt")
            return MessageSigner(key: try MessageSigningKey(pem: try PEMFile.readText(directory + "/signing.key")),
                                 keyID: certificate.sha256Fingerprint, label: TongbanProfile.label)
        }
        let identity = IdentityDocument(province: "31", name: "上海市", signingCertificate: try PEMFile.readText(published + "/signing.crt"),
                                        version: "test")
        let responder = Responder(identityJSON: try JSONCoding.encoder().encode(identity), identitySigner: try signer(published),
                                  answerSigner: try signer(answering))
        let posts = self.posts
        let requests = self.requests
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(responder: responder, onPost: { posts.value.withLock { $0 += 1 } },
                                                                          onRequest: { requests.value.withLock { $0 += 1 } }))
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
    }

    func close() async throws { try await channel.close() }

    struct Responder: Sendable {
        let identityJSON: Data
        let identitySigner: MessageSigner
        let answerSigner: MessageSigner

        func answer(_ head: HTTPRequestHead) throws -> (HTTPResponseHead, Data) {
            let isIdentity = head.method == .GET && head.uri == "/v1/identity"
            let body = isIdentity ? identityJSON : Data("{}".utf8)
            let request = HTTPMessageView.request(method: head.method.rawValue, scheme: "https", authority: head.headers["host"].first ?? "",
                                                  target: head.uri, fields: head.headers.map { (name: $0.name.lowercased(), value: $0.value) })
            var fields: [(name: String, value: String)] = [
                ("content-type", "application/json"), ("content-digest", ContentDigest.field(for: body)),
                ("tongban-request-id", head.headers["tongban-request-id"].first ?? ""),
            ]
            let signed = try (isIdentity ? identitySigner : answerSigner).sign(
                .response(status: 200, fields: fields), request: request, covering: TongbanProfile.responseComponents(bindingRequest: true))
            fields += [("signature-input", signed.input), ("signature", signed.signature), ("content-length", String(body.count))]
            return (HTTPResponseHead(version: .http1_1, status: .ok, headers: HTTPHeaders(fields)), body)
        }
    }

    final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let responder: Responder
        let onPost: @Sendable () -> Void
        let onRequest: @Sendable () -> Void
        var head: HTTPRequestHead?

        init(responder: Responder, onPost: @escaping @Sendable () -> Void, onRequest: @escaping @Sendable () -> Void) {
            self.responder = responder
            self.onPost = onPost
            self.onRequest = onRequest
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                onRequest()
            case .body: break
            case .end:
                guard let head, let (responseHead, body) = try? responder.answer(head) else { context.close(promise: nil); return }
                if head.method == .POST { onPost() }
                context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
