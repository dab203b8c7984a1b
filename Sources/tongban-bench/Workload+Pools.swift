import Foundation
import NIOCore
import NIOHTTP1
import TongbanClient
import TongbanCore

extension Workload {
    /// What a pool's requests ask.
    enum Ask: Sendable {
        case query, batch, verify
        case catalogue(ifNoneMatch: String?)

        var expectedStatus: Int {
            if case .catalogue(let version?) = self, !version.isEmpty { return 304 }
            return 200
        }
    }

    /// `count` requests signed now, each with its own request id, as the peer client would sign them.
    func pool(_ ask: Ask, count: Int) throws -> RequestPool {
        var requests: [PooledRequest] = []
        requests.reserveCapacity(count)
        for sequence in 0..<count {
            let signed: SignedPeerRequest
            switch ask {
            case .query: signed = try client.sign(peer, method: .POST, path: "/v1/query", body: singleQueries[sequence % singleQueries.count], fields: Self.gzip)
            case .batch: signed = try client.sign(peer, method: .POST, path: "/v1/query", body: batchQueries[sequence % batchQueries.count], fields: Self.gzip)
            case .verify: signed = try client.sign(peer, method: .POST, path: "/v1/verify", body: verifications[sequence % verifications.count], fields: [])
            case .catalogue(let version):
                var fields = Self.gzip
                if let version { fields.append(("If-None-Match", "\"\(version)\"")) }
                signed = try client.sign(peer, method: .GET, path: "/v1/catalogue", body: nil, fields: fields)
            }
            requests.append(PooledRequest(bytes: ByteBuffer(bytes: signed.http1), signed: signed))
        }
        return RequestPool(signed: requests)
    }

    static let gzip: [(name: String, value: String)] = [("Accept-Encoding", "gzip")]

    /// A sampled answer verified as a gateway verifies every answer (digest, signature by the server's key in the
    /// manifest, binding to the request, echoed id); returns its decoded size.
    var verifier: WireRun.Verify {
        { [client, peer] request, head, body in
            guard let signed = request.signed else { return body.readableBytes }
            let fields = head.headers.map { (name: $0.name, value: $0.value) }
            try client.verifyAnswer(status: Int(head.status.code), fields: fields, body: Data(body.readableBytesView), to: signed, peer: peer)
            switch head.headers.first(name: "Content-Encoding")?.lowercased() {
            case "gzip"?: return try ContentCoding.gzip.decode(body, limit: 64 << 20).readableBytes
            case "deflate"?: return try ContentCoding.deflate.decode(body, limit: 64 << 20).readableBytes
            default: return body.readableBytes
            }
        }
    }
}
