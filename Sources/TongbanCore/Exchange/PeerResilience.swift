/// How the peer client treats peers that fail (`peerClient.*` in the configuration, docs/deployment.md).
public struct PeerResilience: Sendable, Equatable {
    /// Longest an outbound call may take, connection included.
    public var timeoutSeconds: Double
    /// Longest establishing a connection (TCP and TLS) may take.
    public var connectTimeoutSeconds: Double
    /// Extra attempts for idempotent calls (GET) whose connection failed; never for POST.
    public var retries: Int
    /// Transport failures in a row that open a peer's circuit.
    public var circuitFailureThreshold: Int
    /// Seconds an open circuit refuses calls before one probe is let through.
    public var circuitOpenSeconds: Double

    public init(timeoutSeconds: Double = 10, connectTimeoutSeconds: Double = 3, retries: Int = 2,
                circuitFailureThreshold: Int = 5, circuitOpenSeconds: Double = 30) {
        self.timeoutSeconds = timeoutSeconds
        self.connectTimeoutSeconds = min(connectTimeoutSeconds, timeoutSeconds)
        self.retries = retries
        self.circuitFailureThreshold = circuitFailureThreshold
        self.circuitOpenSeconds = circuitOpenSeconds
    }
}
