import NIOCore
import TongbanClient

/// One request of a `RequestPool`: its HTTP/1.1 bytes, and for a signed one what its answer is verified against.
struct PooledRequest: Sendable {
    let bytes: ByteBuffer
    let signed: SignedPeerRequest?
}
