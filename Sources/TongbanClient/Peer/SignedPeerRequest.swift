import Foundation
import TongbanSigning

/// A request signed for one peer and not yet sent: its fields in order (signature included), its body, the
/// request id the answer must echo, and the view its answer's signature is bound to. `PeerClient` sends it;
/// the benchmark signs a pool of them before its timed phase and writes them itself.
public struct SignedPeerRequest: Sendable {
    public let method: String
    /// Path with query, as sent.
    public let path: String
    /// `province-NN.tongban.invalid:PORT`: the `Host` the signature covers.
    public let authority: String
    public let requestID: String
    public let view: HTTPMessageView
    public let body: Data?

    /// The request as HTTP/1.1 bytes (keep-alive; `Content-Length` when there is a body).
    public var http1: [UInt8] {
        var text = method + " " + path + " HTTP/1.1\r\nHost: " + authority + "\r\n"
        for field in view.fields { text += field.name + ": " + field.value + "\r\n" }
        if let body { text += "Content-Length: \(body.count)\r\n" }
        text += "\r\n"
        var bytes = Array(text.utf8)
        if let body { bytes += body }
        return bytes
    }
}
