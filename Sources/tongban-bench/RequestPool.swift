import NIOCore
import TongbanClient

/// Requests made before a timed phase, so the generator's core goes to TLS and HTTP during it. Signed
/// requests are each taken once (a fresh request id each: the gateway's replay cache must see every id once);
/// a raw request (references, `identity-raw`) is sent again and again.
///
/// Used only on the generator's one event loop (`WireRun`), so without a lock.
final class RequestPool: @unchecked Sendable {
    let requests: [PooledRequest]
    let repeats: Bool
    private(set) var taken = 0

    init(signed requests: [PooledRequest]) {
        self.requests = requests
        repeats = false
    }

    init(repeating request: [UInt8]) {
        requests = [PooledRequest(bytes: ByteBuffer(bytes: request), signed: nil)]
        repeats = true
    }

    /// The next request; nil when a signed pool is used up.
    func take() -> PooledRequest? {
        defer { taken += 1 }
        if repeats { return requests[0] }
        return taken < requests.count ? requests[taken] : nil
    }

    var exhausted: Bool { !repeats && taken >= requests.count }
}
