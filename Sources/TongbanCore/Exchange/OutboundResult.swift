/// What `tongbanctl query` / `verify` get back from their own gateway: the peer's verified answer (or
/// refusal) with the request id both audit logs hold.
public struct OutboundResult: Codable, Sendable, Equatable {
    public var peer: String
    public var status: Int
    public var requestId: String
    public var answer: JSONValue

    public init(peer: String, status: Int, requestId: String, answer: JSONValue) {
        self.peer = peer
        self.status = status
        self.requestId = requestId
        self.answer = answer
    }
}
