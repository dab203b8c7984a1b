/// `GET /healthz` on the local listener: 200 when listeners and store are up, 503 otherwise.
public struct HealthDocument: Codable, Sendable, Equatable {
    public var status: String
    public var listeners: Bool
    public var store: Bool
    public var province: String
    /// True once the replica drains (`tongbanctl drain`, or SIGTERM): load balancers stop sending it new connections.
    public var draining: Bool?

    public init(status: String, listeners: Bool, store: Bool, province: String) {
        self.status = status
        self.listeners = listeners
        self.store = store
        self.province = province
    }
}
