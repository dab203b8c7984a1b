import Foundation

/// A query or a verify this gateway sends to a peer in its own name, decoded once where it enters (admin
/// socket or local API) and carried as a value to the peer client and the outbound audit entry.
public enum OutboundCall: Sendable, Equatable {
    case query(QueryRequest)
    case verify(VerifyRequest)

    /// The peer endpoint's last path segment: `query` or `verify`.
    public var endpoint: String {
        switch self {
        case .query: "query"
        case .verify: "verify"
        }
    }

    public var requester: Requester {
        switch self {
        case .query(let query): query.requester
        case .verify(let verify): verify.requester
        }
    }

    public var matter: String {
        switch self {
        case .query(let query): query.matter
        case .verify(let verify): verify.matter
        }
    }

    public var resource: String {
        switch self {
        case .query(let query): query.resource
        case .verify(let verify): verify.resource
        }
    }

    /// The subjects asked about, as sent (upper case, as the peer compares them).
    public var subjects: [String] {
        switch self {
        case .query(let query): query.subjects.map { $0.uppercased() }
        case .verify(let verify): [verify.subject.uppercased()]
        }
    }

    /// The JSON body sent to the peer.
    public func body() -> Data {
        let encoder = JSONCoding.encoder()
        switch self {
        case .query(let query): return (try? encoder.encode(query)) ?? Data()
        case .verify(let verify): return (try? encoder.encode(verify)) ?? Data()
        }
    }

    /// The call an endpoint name and a JSON object make; a body that is not one is `tongban.request.invalid`.
    public init(endpoint: String, json: JSONValue) throws(TongbanError) {
        switch endpoint {
        case "query":
            guard let query = QueryRequest(plainJSON: json) else {
                throw TongbanError(.requestInvalid, "the body is not a query: resource, matter, requester and subjects (strings) are required")
            }
            // A repeat would be answered once by the peer and counted twice in this side's audit entry: refused here.
            if let problem = QueryRequest.repeatedSubjectProblem(in: query.subjects) { throw TongbanError(.requestInvalid, problem) }
            self = .query(query)
        case "verify":
            guard let verify = VerifyRequest(plainJSON: json) else {
                throw TongbanError(.requestInvalid,
                                   "the body is not a verify: resource, matter, requester, subject and claims (strings) are required")
            }
            self = .verify(verify)
        default:
            throw TongbanError(.notFound, "no outbound endpoint \(endpoint) (query or verify)")
        }
    }

    /// The call a JSON body makes for `endpoint`.
    public init(endpoint: String, body: Data) throws(TongbanError) {
        guard let json = body.withUnsafeBytes({ JSONValue.parseUnambiguous($0) }) else {
            throw TongbanError(.requestInvalid, "the body is not a JSON object")
        }
        try self.init(endpoint: endpoint, json: json)
    }
}
