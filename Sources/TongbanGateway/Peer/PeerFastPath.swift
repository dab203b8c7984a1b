import Foundation
import HTTPTypes
import HummingbirdCore
import NIOCore
import NIOHTTPTypes
import Prometheus
import Logging
import TongbanConfig
import TongbanCore
import TongbanSigning
import TongbanStore

/// The peer listener's fast path (issue 29): a channel handler between the HTTP codec and Hummingbird that answers
/// plain queries (`POST /v1/query`) on the event loop, with no task, router or middleware chain, and hands every
/// other request to Hummingbird untouched.
///
/// It takes a request only when its head has the common shape (one `Host`, a `Content-Length`, no
/// `Transfer-Encoding`, `Content-Encoding`, `Connection` or `Expect`, within the header limit), its connection's
/// identity is already known (the general path reads it on a connection's first request), and no earlier request on
/// the connection is still being answered by Hummingbird. `FastQuery.prepare` then runs the general path's checks; a
/// request that fails any of them goes on to Hummingbird as it came, which refuses it as it always did. A served
/// answer is signed like every other (`AnswerSigning`) and written only after its audit entry's group commit: an
/// entry that cannot be written turns the answer into the signed 503 `tongban.audit.unavailable`.
///
/// Requests that arrive while an answer is pending (pipelining) are held, and the socket not read further, until it
/// has been written; answers leave in the order the requests came.
final class PeerFastPath: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let state: GatewayState
    private let connections: ConnectionProvinces
    private let serverName: String?
    /// A fast-path candidate's head and body, while its body arrives.
    private var collecting: (head: HTTPRequest, body: ByteBuffer)?
    /// An answer is waiting for its audit commit.
    private var answering = false
    /// Requests handed to Hummingbird whose answers have not ended yet.
    private var forwarded = 0
    /// Parts that arrived while an answer was pending, and whether a read was held back meanwhile.
    private var held: [HTTPRequestPart] = []
    private var readHeld = false

    init(state: GatewayState, connections: ConnectionProvinces, serverName: String?) {
        self.state = state
        self.connections = connections
        self.serverName = serverName
    }

    // MARK: inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if answering || !held.isEmpty {
            held.append(part)
            return
        }
        process(part, context: context)
    }

    private func process(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let head):
            if forwarded == 0, isCandidate(head), connections.known(context.channel) != nil {
                collecting = (head, ByteBuffer())
            } else {
                forward(part, context: context, newRequest: true)
            }
        case .body(var bytes):
            guard collecting != nil else { return forward(part, context: context) }
            if collecting!.body.readableBytes + bytes.readableBytes > state.configuration.maxRequestBodyBytes {
                // Too large for this endpoint: the general path answers 413 as it always does.
                let (head, body) = collecting!
                collecting = nil
                handOver(head, body, context: context)
                forward(part, context: context)
            } else {
                collecting!.body.writeBuffer(&bytes)
            }
        case .end(let trailers):
            guard let (head, body) = collecting else { return forward(part, context: context) }
            collecting = nil
            guard trailers == nil, let identity = connections.known(context.channel),
                  let query = FastQuery.prepare(head: head, body: body, identity: identity, state: state) else {
                handOver(head, body, context: context)
                forward(.end(trailers), context: context)
                return
            }
            answer(query, start: .now, context: context)
        }
    }

    /// Whether a head has the shape the fast path takes; anything else goes to the general path.
    private func isCandidate(_ head: HTTPRequest) -> Bool {
        guard state.configuration.peerFastPath, state.store.readsWithoutWaiting, head.method == .post, head.path == "/v1/query",
              head.authority != nil else { return false }
        var size = head.path?.utf8.count ?? 0
        var hasLength = false
        for field in head.headerFields {
            switch field.name {
            case .contentLength: hasLength = true
            case .transferEncoding, .contentEncoding, .connection, .expect, Self.host: return false
            default: break
            }
            size += field.name.rawName.utf8.count + field.value.utf8.count + 4
        }
        return hasLength && size <= state.configuration.maxHeaderBytes
    }

    static let host = HTTPField.Name("Host")!

    private func forward(_ part: HTTPRequestPart, context: ChannelHandlerContext, newRequest: Bool = false) {
        if newRequest { forwarded += 1 }
        context.fireChannelRead(wrapInboundOut(part))
    }

    /// A collected candidate goes on to the general path as it came.
    private func handOver(_ head: HTTPRequest, _ body: ByteBuffer, context: ChannelHandlerContext) {
        forward(.head(head), context: context, newRequest: true)
        if body.readableBytes > 0 { forward(.body(body), context: context) }
    }

    // MARK: outbound

    /// Hummingbird's answers pass here on their way out; the end of one means a handed-over request is done. (Parts
    /// are held only while a fast answer is pending, and released when it has left, so there is nothing to release here.)
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { forwarded -= 1 }
        context.write(data, promise: promise)
    }

    func read(context: ChannelHandlerContext) {
        if answering {
            readHeld = true
            return
        }
        context.read()
    }

    // MARK: answering

    private func answer(_ query: FastQuery, start: ContinuousClock.Instant, context: ChannelHandlerContext) {
        answering = true
        let signer = state.runtime.keys.signer(for: query.caller)
        let level = state.configuration.compressionLevel
        let fields: [(name: String, value: String)] = [("Content-Type", "application/json"), ("Tongban-Request-Id", query.requestID)]
        let signed: AnswerSigning.Signed
        do {
            signed = try AnswerSigning.sign(status: 200, fields: fields, body: ByteBuffer(bytes: query.answer),
                                            acceptEncoding: query.acceptEncoding, compressionLevel: level, request: query.request, signer: signer)
        } catch {
            // As the general path does: an answer that cannot be signed is not sent.
            state.limits.release()
            answering = false
            context.close(promise: nil)
            return
        }
        var draft = query.draft
        draft.status = 200
        draft.responseSignature = signed.signatureFields
        draft.bytes = signed.body.readableBytes
        let elapsed = ContinuousClock.now - start
        draft.latencyMilliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        state.appendAudit(draft) { result in
            loop.execute {
                let (handler, context) = bound.value
                switch result {
                case .success: handler.finish(query, signed, start: start, context: context)
                case .failure: handler.refuseUnaudited(query, signer: signer, start: start, context: context)
                }
            }
        }
    }

    /// The entry is on disk: the answer leaves.
    private func finish(_ query: FastQuery, _ signed: AnswerSigning.Signed, start: ContinuousClock.Instant, context: ChannelHandlerContext) {
        write(status: .ok, signed, context: context)
        state.metrics.fastPathAnswers.increment()
        state.metrics.exchange(peer: query.caller.rawValue, endpoint: "query", direction: .inbound, status: 200, duration: ContinuousClock.now - start,
                               wireBytes: signed.body.readableBytes, uncompressedBytes: signed.uncompressed.readableBytes, records: query.records)
        done(context: context)
    }

    /// The entry could not be written: the exchange is refused, never served unaudited.
    private func refuseUnaudited(_ query: FastQuery, signer: MessageSigner, start: ContinuousClock.Instant, context: ChannelHandlerContext) {
        state.logger.error("audit log unavailable: refusing the exchange", metadata: ["tongban.code": .string(TongbanError.Code.auditUnavailable.rawValue)])
        let problem = Problem(.auditUnavailable, detail: "the exchange cannot be audited, so it is refused", requestId: query.draft.requestId)
        let body = (try? JSONCoding.encoder().encode(problem)) ?? Data()
        let fields: [(name: String, value: String)] = [("Content-Type", Problem.mediaType), ("Tongban-Request-Id", query.requestID)]
        guard let signed = try? AnswerSigning.sign(status: problem.status, fields: fields, body: ByteBuffer(bytes: body),
                                                   acceptEncoding: query.acceptEncoding, compressionLevel: state.configuration.compressionLevel,
                                                   request: query.request, signer: signer) else {
            state.limits.release()
            answering = false
            context.close(promise: nil)
            return
        }
        write(status: HTTPResponse.Status(code: problem.status), signed, context: context)
        state.metrics.exchange(peer: query.caller.rawValue, endpoint: "query", direction: .inbound, status: problem.status,
                               duration: ContinuousClock.now - start, wireBytes: signed.body.readableBytes,
                               uncompressedBytes: signed.uncompressed.readableBytes, records: 0)
        state.metrics.refusal(code: TongbanError.Code.auditUnavailable.rawValue)
        done(context: context)
    }

    private func write(status: HTTPResponse.Status, _ signed: AnswerSigning.Signed, context: ChannelHandlerContext) {
        var fields = HTTPFields()
        for field in signed.fields { fields.append(HTTPField(name: HTTPField.Name(field.name)!, value: field.value)) }
        fields[.date] = HTTPDate.shared.now
        if let serverName { fields[.server] = serverName }
        context.write(wrapOutboundOut(.head(HTTPResponse(status: status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(signed.body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    private func done(context: ChannelHandlerContext) {
        state.limits.release()
        answering = false
        drain(context: context)
        if !answering, readHeld {
            readHeld = false
            context.read()
        }
    }

    /// Goes on with the parts held while an answer was pending, until another fast answer is pending or none is left.
    private func drain(context: ChannelHandlerContext) {
        var delivered = false
        while !answering, !held.isEmpty {
            let part = held.removeFirst()
            process(part, context: context)
            delivered = true
        }
        if delivered { context.fireChannelReadComplete() }
    }
}
