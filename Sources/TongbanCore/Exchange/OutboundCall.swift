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

    /// The case reference (办件编号) the call carries, if any.
    public var caseReference: String? {
        switch self {
        case .query(let query): query.caseReference
        case .verify(let verify): verify.caseReference
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

    /// The call an endpoint name and a JSON object make; a body that is not one is `tongban.request.invalid`,
    /// with what the decoder found wrong.
    public init(endpoint: String, json: JSONValue) throws(TongbanError) {
        switch endpoint {
        case "query":
            if let query = QueryRequest(plainJSON: json) {
                try Self.refuseRepeats(query)
                self = .query(query)
                return
            }
        case "verify":
            if let verify = VerifyRequest(plainJSON: json) { self = .verify(verify); return }
        default:
            throw TongbanError(.notFound, "no outbound endpoint \(endpoint) (query or verify)")
        }
        // Not the plain shape (a member more, a number for a string): the decoder says what is wrong.
        try self.init(endpoint: endpoint, body: Data(json.canonicalText.utf8))
    }

    /// The call a JSON body makes for `endpoint`.
    public init(endpoint: String, body: Data) throws(TongbanError) {
        let decoder = JSONCoding.decoder()
        do {
            switch endpoint {
            case "query":
                let query = try decoder.decode(QueryRequest.self, from: body)
                try Self.refuseRepeats(query)
                self = .query(query)
            case "verify": self = .verify(try decoder.decode(VerifyRequest.self, from: body))
            default: throw TongbanError(.notFound, "no outbound endpoint \(endpoint) (query or verify)")
            }
        } catch let error as TongbanError {
            throw error
        } catch {
            throw TongbanError(.requestInvalid, "the body is not a valid \(endpoint) request: \(error)")
        }
    }

    /// A repeat would be answered once by the peer and counted twice in this side's audit entry: refused here.
    static func refuseRepeats(_ query: QueryRequest) throws(TongbanError) {
        if let problem = QueryRequest.repeatedSubjectProblem(in: query.subjects) { throw TongbanError(.requestInvalid, problem) }
    }
}
