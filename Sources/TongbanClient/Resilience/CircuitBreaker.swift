/// One peer's circuit breaker. Closed: calls go through. After `threshold` transport failures in a row it
/// opens: calls fail at once, without touching the network, for `openDuration`. Then it is half-open: one
/// call at a time goes through as a probe; a success closes the circuit, a failure opens it again.
public struct CircuitBreaker: Sendable, Equatable {
    public enum State: String, Sendable, Codable {
        case closed
        case open
        case halfOpen = "half-open"

        /// The value of the `tongban_peer_circuit_state` metric.
        public var metricValue: Double {
            switch self {
            case .closed: 0
            case .halfOpen: 1
            case .open: 2
            }
        }
    }

    /// How a call that was admitted ended.
    public enum Outcome: Sendable {
        /// The peer answered (whatever the status: a refusal is an answer).
        case answered
        /// No answer: refused connection, reset, TLS failure, timeout.
        case failed
        /// The caller gave up (task cancelled) before the outcome was known.
        case abandoned
    }

    public private(set) var state: State = .closed
    public private(set) var consecutiveFailures = 0
    /// When the circuit last opened.
    public private(set) var openedAt: ContinuousClock.Instant?
    /// Whether a half-open probe is in flight.
    private var probing = false
    public let threshold: Int
    public let openDuration: Duration

    public init(threshold: Int, openDuration: Duration) {
        self.threshold = max(1, threshold)
        self.openDuration = openDuration
    }

    /// Whether a call may go to the peer now (and, when half-open, takes the one probe slot).
    public mutating func admit(now: ContinuousClock.Instant) -> Bool {
        switch state {
        case .closed:
            return true
        case .open:
            guard let openedAt, now - openedAt >= openDuration else { return false }
            state = .halfOpen
            probing = true
            return true
        case .halfOpen:
            if probing { return false }
            probing = true
            return true
        }
    }

    public mutating func record(_ outcome: Outcome, now: ContinuousClock.Instant) {
        switch outcome {
        case .answered:
            state = .closed
            consecutiveFailures = 0
            probing = false
        case .failed:
            consecutiveFailures += 1
            if state == .halfOpen || consecutiveFailures >= threshold {
                state = .open
                openedAt = now
            }
            probing = false
        case .abandoned:
            probing = false
        }
    }

    /// When a call will next be let through as a probe (nil unless open).
    public func retryAt() -> ContinuousClock.Instant? {
        guard state == .open, let openedAt else { return nil }
        return openedAt + openDuration
    }
}
