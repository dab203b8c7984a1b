import HummingbirdCore
import NIOCore

/// Puts `PeerFastPath` in its place: after Hummingbird's `HTTPConnectionStateHandler`, just before the channel's
/// async bridge. Hummingbird adds a listener's extra handlers before that state handler, which would then see
/// neither the fast path's requests nor its answers: it would close a busy connection at its idle timeout as if it
/// were silent, and at a graceful shutdown close it under a pending answer. Behind it, it counts every request and
/// answer, and closes a draining connection only once the answer in progress has left.
///
/// The child channel's pipeline is complete once the listener's set-up returns, before its first read; the move is
/// made on the next turn of the event loop, and this handler then removes itself.
final class PeerFastPathInstaller: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let fastPath: PeerFastPath

    init(_ fastPath: PeerFastPath) { self.fastPath = fastPath }

    func handlerAdded(context: ChannelHandlerContext) {
        let pipeline = context.pipeline
        context.eventLoop.assumeIsolated().execute { [self] in
            let operations = pipeline.syncOperations
            if let state = try? operations.handler(type: HTTPConnectionStateHandler.self) {
                try? operations.addHandler(fastPath, position: .after(state))
            } else {
                try? operations.addHandler(fastPath, position: .after(self))
            }
            operations.removeHandler(self, promise: nil)
        }
    }
}
