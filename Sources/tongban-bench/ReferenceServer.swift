import Foundation
import Hummingbird
import HummingbirdTLS
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import TongbanClient
import TongbanPKI
import TongbanSigning

/// The child process of a `FrameworkReference`: serves `www/NAME` from its directory (or, `nio-signed`, answers signed
/// conditional catalogue requests) until it is stopped.
enum ReferenceServer {
    /// Runs in `tongban-bench`, which has already put Swift concurrency on NIO's event loops, one per allowed CPU.
    static func serve(kind: FrameworkReference.Kind, directory: String) async throws {
        let settings = try JSONDecoder().decode(FrameworkReference.Settings.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/reference.json")))
        let credentials = try ClientCredentials(
            certificateChain: NIOSSLCertificate.fromPEMFile(settings.certificate),
            privateKey: NIOSSLPrivateKey(file: settings.key, format: .pem),
            federationRoots: NIOSSLCertificate.fromPEMFile(settings.root))
        let names = try FileManager.default.contentsOfDirectory(atPath: directory + "/www")
        let bodies = Dictionary(uniqueKeysWithValues: try names.map { name in
            ("/" + name, ByteBuffer(bytes: try Data(contentsOf: URL(fileURLWithPath: directory + "/www/" + name))))
        })
        // Tongban's own server configuration: TLS 1.3 with a required client certificate, one event loop per core.
        let tls = credentials.serverTLSConfiguration
        switch kind {
        case .nio:
            try await servePipeline(tls: tls, port: settings.port) { ReferenceHandler(bodies: bodies) }
        case .nioSigned:
            guard let signing = settings.signing else { throw BenchError("the nio-signed reference needs its keys") }
            let certificate = try PEMFile.readCertificate(signing.certificate)
            let caller = try PEMFile.readCertificate(signing.callerCertificate)
            guard let callerKey = MessageVerificationKey(caller) else { throw BenchError("the caller's certificate has no signing key") }
            let shared = SignedReferenceHandler.Shared(
                signer: MessageSigner(key: try MessageSigningKey(pem: try PEMFile.readText(signing.key)), keyID: certificate.sha256Fingerprint,
                                      label: TongbanProfile.label),
                callerKeyID: caller.sha256Fingerprint, callerKey: callerKey, etag: signing.etag)
            try await servePipeline(tls: tls, port: settings.port) { SignedReferenceHandler(shared: shared) }
        case .hummingbird:
            let router = Router()
            router.get("{name}") { request, _ -> Response in
                guard let body = bodies[request.uri.path] else { return Response(status: .notFound) }
                let (encoded, coding) = try ReferenceHandler.encode(body, acceptEncoding: request.headers[.acceptEncoding])
                var headers: HTTPFields = [.contentType: "application/json"]
                if let coding { headers[.contentEncoding] = coding }
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: encoded))
            }
            let app = Application(router: router, server: try .tls(.http1(), tlsConfiguration: tls),
                                  configuration: .init(address: .hostname("127.0.0.1", port: settings.port), serverName: "reference"))
            try await app.runService()
        }
    }

    /// swift-nio's HTTP/1.1 server pipeline over swift-nio-ssl on one event loop, `handler` at its end.
    static func servePipeline<Handler: ChannelInboundHandler & Sendable>(tls: TLSConfiguration, port: Int,
                                                                         handler: @escaping @Sendable () -> Handler) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let context = try NIOSSLContext(configuration: tls)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(handler())
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
        try await channel.closeFuture.get()
    }
}
