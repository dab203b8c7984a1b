import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// One connection that writes whatever bytes a test gives it and reads back one HTTP/1.1 response at a time:
/// mutual TLS to a peer listener, plain TCP to a local listener (or to a peer listener, to be refused), or the admin
/// socket. Nothing is normalised on the way out (AsyncHTTPClient would fix what these tests break).
final class RawConnection: @unchecked Sendable {
    enum Endpoint: Sendable {
        case tls(host: String, port: Int, context: NIOSSLContext)
        case tcp(host: String, port: Int)
        case unix(path: String)
    }

    /// What came back for one request.
    enum Reply: Sendable {
        case response(RawResponse)
        /// The connection ended (or TLS failed) before a whole response; `reason` says how.
        case closed(reason: String)
        case timeout
    }

    let channel: any Channel
    private let collector: Collector

    private init(channel: any Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    static func open(_ endpoint: Endpoint) async throws -> RawConnection {
        let collector = Collector()
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if case .tls(_, _, let context) = endpoint {
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: nil))
                    }
                    try channel.pipeline.syncOperations.addHandler(collector)
                }
            }
        let channel: any Channel
        switch endpoint {
        case .tls(let host, let port, _), .tcp(let host, let port):
            channel = try await bootstrap.connect(host: host, port: port).get()
        case .unix(let path):
            channel = try await bootstrap.connect(unixDomainSocketPath: path).get()
        }
        return RawConnection(channel: channel, collector: collector)
    }

    var isOpen: Bool { channel.isActive && !collector.ended }

    /// Writes `bytes` and waits for one response (`head`: the request was HEAD) or the end of the connection.
    func exchange(_ bytes: [UInt8], head: Bool = false, timeout: TimeAmount = .seconds(20)) async -> Reply {
        let loop = channel.eventLoop
        let promise = loop.makePromise(of: Reply.self)
        loop.execute { [channel, collector] in
            collector.expect(promise, head: head)
            let scheduled = loop.scheduleTask(in: timeout) { collector.expire() }
            promise.futureResult.whenComplete { _ in scheduled.cancel() }
            if channel.isActive {
                channel.writeAndFlush(ByteBuffer(bytes: bytes)).whenFailure { error in collector.fail("write failed: \(error)") }
            } else {
                collector.fail("connection already closed")
            }
        }
        return (try? await promise.futureResult.get()) ?? .closed(reason: "no reply")
    }

    func close() async {
        try? await channel.close()
    }

    /// Gathers the bytes the server sends and completes the waiting exchange with a whole response. Runs on the
    /// channel's event loop only.
    final class Collector: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        private var buffer = ByteBuffer()
        private var pending: (promise: EventLoopPromise<Reply>, head: Bool)?
        private(set) var ended = false
        private var endReason = "closed by the server"

        func expect(_ promise: EventLoopPromise<Reply>, head: Bool) {
            pending = (promise, head)
            deliver()
        }

        func expire() {
            guard let pending else { return }
            self.pending = nil
            pending.promise.succeed(.timeout)
        }

        func fail(_ reason: String) {
            endReason = reason
            ended = true
            deliver()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var bytes = unwrapInboundIn(data)
            buffer.writeBuffer(&bytes)
            deliver()
        }

        func channelInactive(context: ChannelHandlerContext) {
            ended = true
            deliver()
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            endReason = "\(error)"
            ended = true
            deliver()
            context.close(promise: nil)
        }

        private func deliver() {
            guard let pending else { return }
            do {
                if let response = try RawResponse.take(from: &buffer, headRequest: pending.head, atEnd: ended) {
                    self.pending = nil
                    pending.promise.succeed(.response(response))
                    return
                }
            } catch {
                ended = true
                self.pending = nil
                pending.promise.succeed(.closed(reason: "not HTTP: \(error)"))
                return
            }
            if ended {
                self.pending = nil
                pending.promise.succeed(.closed(reason: endReason))
            }
        }
    }
}
