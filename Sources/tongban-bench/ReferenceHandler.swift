import NIOCore
import NIOHTTP1
import TongbanClient

/// The `nio` reference's only handler: answers a GET for a known path with its body (gzip when asked and
/// ≥ 1 KiB, zlib level 1), anything else with 404, keeping the connection open.
final class ReferenceHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let bodies: [String: ByteBuffer]
    private var head: HTTPRequestHead?

    init(bodies: [String: ByteBuffer]) {
        self.bodies = bodies
    }

    /// The body as sent and its `Content-Encoding`, as Tongban's gateway chooses them.
    static func encode(_ body: ByteBuffer, acceptEncoding: String?) throws -> (ByteBuffer, String?) {
        guard body.readableBytes >= ContentCoding.minimumSize, let coding = ContentCoding.preferred(acceptEncoding) else { return (body, nil) }
        return (try coding.encode(body), coding.rawValue)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            head = request
        case .body:
            break
        case .end:
            guard let request = head else { return }
            head = nil
            var response = HTTPResponseHead(version: request.version, status: .notFound)
            var body = ByteBuffer()
            if let stored = bodies[request.uri], let (encoded, coding) = try? Self.encode(stored, acceptEncoding: request.headers.first(name: "Accept-Encoding")) {
                response.status = .ok
                response.headers.add(name: "Content-Type", value: "application/json")
                if let coding { response.headers.add(name: "Content-Encoding", value: coding) }
                body = encoded
            }
            response.headers.add(name: "Content-Length", value: String(body.readableBytes))
            context.write(wrapOutboundOut(.head(response)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
