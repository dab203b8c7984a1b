import Foundation

/// A peer's verified answer to an `OutboundCall`, decoded once into the type its endpoint returns, or the
/// peer's refusal.
public enum OutboundAnswer: Sendable, Equatable {
    case query(QueryResponse)
    case verify(VerifyResponse)
    case refused(Problem)

    /// Decodes `body` (verified, decoded from its content coding) as `call`'s answer with `status`.
    /// A body that is neither the endpoint's answer nor a problem is `tongban.peer.unreachable`: no usable answer.
    public init(to call: OutboundCall, status: Int, body: Data, peer: ProvinceCode) throws(TongbanError) {
        let decoder = JSONCoding.decoder()
        do {
            switch (status, call) {
            case (200, .query): self = .query(try decoder.decode(QueryResponse.self, from: body))
            case (200, .verify): self = .verify(try decoder.decode(VerifyResponse.self, from: body))
            default: self = .refused(try decoder.decode(Problem.self, from: body))
            }
        } catch {
            throw TongbanError(.peerUnreachable, "peer \(peer) answered \(call.endpoint) with \(status) and a body that is not its answer")
        }
    }

    /// Records the answer provides: a query's records, or the one subject a verify found.
    public var records: Int {
        switch self {
        case .query(let query): query.records.count
        case .verify(let verify): verify.found ? 1 : 0
        case .refused: 0
        }
    }

    /// The fields the answer carries (of its first record, for a query).
    public var fields: [String] {
        switch self {
        case .query(let query): query.records.first.map { $0.fields.keys.sorted() } ?? []
        case .verify(let verify): verify.results.keys.sorted()
        case .refused: []
        }
    }

    /// The refusal's code as this gateway records it: one of the table, or `tongban.peer.refused` for a code
    /// it does not know (a peer's text never becomes a code, a label or a log key here).
    public var reasonCode: String {
        switch self {
        case .query, .verify: "ok"
        case .refused(let problem): (problem.knownCode ?? .peerRefused).rawValue
        }
    }
}
