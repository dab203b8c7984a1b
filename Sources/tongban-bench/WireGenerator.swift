import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import TongbanClient

/// The bench's load generator (issue 29): keep-alive mutual-TLS connections on one event loop, written with
/// requests made before the timed phase (`RequestPool`) and read with NIO's HTTP/1.1 decoder, with no task,
/// signing or encoding per request. It stays far below its own core's capacity (the report's `CLIENT CORE %`),
/// so what it measures is the server. `PeerClient`, which signs and verifies every exchange, remains the
/// correctness scenario's generator (`query-1-verified`).
final class WireGenerator: @unchecked Sendable {
    let loop: any EventLoop
    let connections: [WireConnection]
    private let channels: [any Channel]

    private init(loop: any EventLoop, connections: [WireConnection], channels: [any Channel]) {
        (self.loop, self.connections, self.channels) = (loop, connections, channels)
    }

    /// Opens `count` connections to `host:port`, checking the server's certificate for `serverHostname`.
    static func connect(count: Int, host: String, port: Int, serverHostname: String, credentials: ClientCredentials) async throws -> WireGenerator {
        let context = try NIOSSLContext(configuration: credentials.clientTLSConfiguration)
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        var connections: [WireConnection] = []
        var channels: [any Channel] = []
        for _ in 0..<count {
            let handshake = loop.makePromise(of: Void.self)
            let sender = WireSender()
            let connection = WireConnection(sender: sender)
            let channel = try await ClientBootstrap(group: loop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverHostname))
                        try pipeline.addHandler(HandshakeWatcher(promise: handshake))
                        try pipeline.addHandler(sender)
                        try pipeline.addHandler(ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .forwardBytes)))
                        try pipeline.addHandler(connection)
                    }
                }
                .connect(host: host, port: port).get()
            try await handshake.futureResult.get()
            connections.append(connection)
            channels.append(channel)
        }
        return WireGenerator(loop: loop, connections: connections, channels: channels)
    }

    /// One timed phase on these connections.
    func run(_ mode: WireRun.Mode, pool: RequestPool, expectedStatus: Int = 200, itemsPerAnswer: Int = 1,
             sampleEvery: Int = 64, verify: WireRun.Verify? = nil) async throws -> LoadResult {
        let run = WireRun(loop: loop, connections: connections, pool: pool, expectedStatus: expectedStatus,
                          itemsPerAnswer: itemsPerAnswer, sampleEvery: sampleEvery, verify: verify)
        return try await run.run(mode)
    }

    func close() async {
        for channel in channels { try? await channel.close() }
    }
}
