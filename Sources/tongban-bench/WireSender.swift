import NIOCore
import NIOHTTP1

/// Sits between TLS and the HTTP response decoder and writes a pooled request's bytes as they are, so no request
/// is encoded during the timed phase. The connection above the decoder writes a request head only so that the
/// decoder knows an answer is due (it refuses an answer to no request); this handler sends the pooled bytes in
/// its place.
final class WireSender: ChannelOutboundHandler, @unchecked Sendable {
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = ByteBuffer

    /// The bytes the next head stands for.
    var pending: ByteBuffer?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .head = unwrapOutboundIn(data), let bytes = pending else {
            promise?.succeed(())
            return
        }
        pending = nil
        context.write(wrapOutboundOut(bytes), promise: promise)
    }
}
