import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import TongbanClient

/// Opens mutual-TLS connections to a listener and leaves them idle, to measure what they cost the server.
struct IdleConnections {
    let channels: [any Channel]

    /// Completes `count` handshakes (presenting `credentials`), in batches so the listen backlog is not overrun.
    static func open(count: Int, host: String, port: Int, credentials: ClientCredentials) async throws -> IdleConnections {
        let context = try NIOSSLContext(configuration: credentials.clientTLSConfiguration)
        let group = MultiThreadedEventLoopGroup.singleton
        var channels: [any Channel] = []
        var opened = 0
        while opened < count {
            let batch = min(100, count - opened)
            try await withThrowingTaskGroup(of: (any Channel).self) { tasks in
                for _ in 0..<batch {
                    tasks.addTask {
                        let handshake = group.next().makePromise(of: Void.self)
                        let channel = try await ClientBootstrap(group: group)
                            .channelInitializer { channel in
                                channel.eventLoop.makeCompletedFuture {
                                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: nil))
                                    try channel.pipeline.syncOperations.addHandler(HandshakeWatcher(promise: handshake))
                                }
                            }
                            .connect(host: host, port: port).get()
                        try await handshake.futureResult.get()
                        return channel
                    }
                }
                for try await channel in tasks { channels.append(channel) }
            }
            opened += batch
        }
        return IdleConnections(channels: channels)
    }

    func close() async {
        for channel in channels { try? await channel.close() }
    }
}

/// Fulfils its promise when the TLS handshake completes, fails it when the channel closes first.
final class HandshakeWatcher: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let promise: EventLoopPromise<Void>

    init(promise: EventLoopPromise<Void>) { self.promise = promise }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event { promise.succeed(()) }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(BenchError("connection closed before the TLS handshake completed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }
}
