import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import TongbanCore

/// One HTTP listener, run as a service: what Hummingbird's `Application.run` does, without the `DateCache` service it
/// starts beside every server (the `Date` header comes from `HTTPDate`). That cache stops at graceful shutdown through
/// `cancelOnGracefulShutdown()`, i.e. swift-async-algorithms' `merge`, whose `next()` holds a lock while it registers a
/// continuation (apple/swift-async-algorithms#430, fix pending in #444). With Swift concurrency on NIO's event loops, a
/// daemon stopped during that window deadlocked: both event loops waiting for the lock, held by a job that only they
/// could run (seen in two of four full test runs, a clean-clone rehearsal and `make test`: a daemon never exited after
/// SIGTERM).
struct Listener<Context: RequestContext & InitializableFromSource<ApplicationRequestContextSource>>: Service {
    /// A request whose parser error surfaced only while its answer was written: the connection is closed.
    struct ParseErrorWhileWriting: Error {}

    /// `peer`, `local` or `admin`, and the address as configured (`127.0.0.1:7443`, a socket's path): named in a
    /// failure to listen.
    let name: String
    let address: String
    let responder: RouterResponder<Context>
    let server: HTTPServerBuilder
    let configuration: ServerConfiguration
    let onServerRunning: @Sendable (any Channel) async -> Void
    let logger: Logger

    init(_ name: String, at address: String, router: Router<Context>, server: HTTPServerBuilder = .http1(), configuration: ServerConfiguration,
         onServerRunning: @escaping @Sendable (any Channel) async -> Void, logger: Logger) {
        self.name = name
        self.address = address
        self.responder = router.buildResponder()
        self.server = server
        self.configuration = configuration
        self.onServerRunning = onServerRunning
        self.logger = logger
    }

    func run() async throws {
        let (responder, logger, serverName) = (self.responder, self.logger, configuration.serverName)
        let service = try server.buildServer(configuration: configuration, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                                             logger: logger) { (request, responseWriter: consuming ResponseWriter, channel) in
            let context = Context(source: .init(channel: channel, logger: logger))
            var response: Response
            do {
                response = try await responder.respond(to: request, context: context)
            } catch let error as HTTPParserError {
                throw error
            } catch {
                logger.debug("Unrecognised Error", metadata: ["error.type": "\(error)"])
                response = Response(status: .internalServerError, body: .init())
            }
            response.headers[.date] = HTTPDate.shared.now
            if let serverName { response.headers[.server] = serverName }
            do {
                try await responseWriter.write(response: response.head, body: response.body)
            } catch is HTTPParserError {
                throw ParseErrorWhileWriting()
            }
        } onServerRunning: { channel in
            await self.onServerRunning(channel)
        }
        do {
            try await service.run()
        } catch let error as IOError where [EADDRINUSE, EADDRNOTAVAIL, EACCES].contains(error.errnoCode) {
            throw TongbanError(.configInvalid, "the \(name) listener cannot listen on \(address): " + ListenAddressCheck.reason(error.errnoCode))
        }
    }
}
