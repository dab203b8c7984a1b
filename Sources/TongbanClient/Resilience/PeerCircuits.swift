import Synchronization
import TongbanCore

/// Every peer's circuit breaker, shared by successive peer clients (a reload replaces the client, not what it
/// learnt about the peers). Also remembers whether each peer's last call was answered, for the metrics.
public final class PeerCircuits: Sendable {
    public struct Snapshot: Sendable, Equatable {
        public var state: CircuitBreaker.State
        public var consecutiveFailures: Int
        /// Whether the last call was answered (nil before any call).
        public var lastAnswered: Bool?
    }

    private struct Entry {
        var breaker: CircuitBreaker
        var lastAnswered: Bool?
    }

    private let entries = Mutex<[ProvinceCode: Entry]>([:])
    private let settings: Mutex<(threshold: Int, open: Duration)>

    public init(threshold: Int, openDuration: Duration) {
        settings = Mutex((threshold, openDuration))
    }

    /// New thresholds apply to circuits from their next state change (a reload).
    public func configure(threshold: Int, openDuration: Duration) {
        settings.withLock { $0 = (threshold, openDuration) }
        entries.withLock { entries in
            for (code, entry) in entries where entry.breaker.state == .closed {
                entries[code]?.breaker = CircuitBreaker(threshold: threshold, openDuration: openDuration)
                entries[code]?.lastAnswered = entry.lastAnswered
            }
        }
    }

    /// Whether a call to `peer` may go now; when not, the instant a probe will be let through.
    public func admit(_ peer: ProvinceCode, now: ContinuousClock.Instant = .now) -> (admitted: Bool, retryAt: ContinuousClock.Instant?) {
        let (threshold, open) = settings.withLock { $0 }
        return entries.withLock { entries in
            var entry = entries[peer] ?? Entry(breaker: CircuitBreaker(threshold: threshold, openDuration: open))
            let admitted = entry.breaker.admit(now: now)
            entries[peer] = entry
            return (admitted, admitted ? nil : entry.breaker.retryAt())
        }
    }

    /// Records how an admitted call ended; returns the state before and after, so a change can be logged.
    @discardableResult
    public func record(_ peer: ProvinceCode, _ outcome: CircuitBreaker.Outcome,
                       now: ContinuousClock.Instant = .now) -> (before: CircuitBreaker.State, after: CircuitBreaker.State) {
        let (threshold, open) = settings.withLock { $0 }
        return entries.withLock { entries in
            var entry = entries[peer] ?? Entry(breaker: CircuitBreaker(threshold: threshold, openDuration: open))
            let before = entry.breaker.state
            entry.breaker.record(outcome, now: now)
            switch outcome {
            case .answered: entry.lastAnswered = true
            case .failed: entry.lastAnswered = false
            case .abandoned: break
            }
            entries[peer] = entry
            return (before, entry.breaker.state)
        }
    }

    public func snapshot(_ peer: ProvinceCode) -> Snapshot {
        entries.withLock { entries in
            guard let entry = entries[peer] else { return Snapshot(state: .closed, consecutiveFailures: 0, lastAnswered: nil) }
            return Snapshot(state: entry.breaker.state, consecutiveFailures: entry.breaker.consecutiveFailures, lastAnswered: entry.lastAnswered)
        }
    }
}
