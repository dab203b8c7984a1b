/// `POST /v1/ping`: a signed round trip to a peer, to check that signatures work both ways. The answer says
/// who answered, whom it saw calling, and how many body bytes arrived.
public struct PingDocument: Codable, Sendable, Equatable {
    public var province: String
    public var caller: String
    public var requestId: String
    public var receivedBytes: Int

    public init(province: String, caller: String, requestId: String, receivedBytes: Int) {
        self.province = province
        self.caller = caller
        self.requestId = requestId
        self.receivedBytes = receivedBytes
    }
}
