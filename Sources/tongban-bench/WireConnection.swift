import NIOCore
import NIOHTTP1

/// One keep-alive connection of the wire generator: sends a pooled request, reads its answer (NIO's HTTP/1.1
/// decoder), and hands it to its `WireRun`, which chooses what is sent next. On the generator's one event loop.
final class WireConnection: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    /// What the decoder is told was sent (`WireSender` sends the pooled bytes instead); only HEAD would matter to it.
    static let announced = HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/"))

    let sender: WireSender
    var run: WireRun?
    private(set) var alive = true
    private var current: PooledRequest?
    private var started = NIODeadline.uptimeNanoseconds(0)
    private var head: HTTPResponseHead?
    private var wireBytes = 0
    /// The body, kept only when this answer is one of the sample the run verifies.
    private var body: ByteBuffer?

    private var context: ChannelHandlerContext?

    init(sender: WireSender) { self.sender = sender }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// Sends `request`; its latency counts from `started` (the scheduled time in an open loop).
    func send(_ request: PooledRequest, started: NIODeadline, keepBody: Bool) {
        current = request
        self.started = started
        head = nil
        wireBytes = 0
        body = keepBody ? ByteBuffer() : nil
        sender.pending = request.bytes
        context?.writeAndFlush(wrapOutboundOut(Self.announced), promise: nil)
    }

    var busy: Bool { current != nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let received): head = received
        case .body(var bytes):
            wireBytes += bytes.readableBytes
            if body != nil { body!.writeBuffer(&bytes) }
        case .end:
            guard let request = current, let head else { return }
            current = nil
            run?.answered(self, request: request, started: started, head: head, wireBytes: wireBytes, body: body)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        lost(BenchError("the connection closed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        lost(error)
        context.close(promise: nil)
    }

    private func lost(_ error: any Error) {
        guard alive else { return }
        alive = false
        let inFlight = current != nil
        current = nil
        run?.lost(self, inFlight: inFlight, error: error)
    }
}
