import Synchronization

/// A value read from a shared store and kept for `maximumAge`, or until this replica changes it. Another replica's
/// change is seen when the value expires. A generation that every local change bumps keeps a read that raced a
/// change from being kept.
final class TimedCache<Value: Sendable>: Sendable {
    private struct State {
        var generation = 0
        var value: Value?
        var readAt = ContinuousClock.now
    }

    let maximumAge: Duration
    private let state = Mutex(State())

    init(maximumAge: Duration) { self.maximumAge = maximumAge }

    /// The value and the generation it must be kept at; the value is nil when absent or older than `maximumAge`.
    func current() -> (value: Value?, generation: Int) {
        state.withLock { state in
            guard let value = state.value, ContinuousClock.now - state.readAt < maximumAge else { return (nil, state.generation) }
            return (value, state.generation)
        }
    }

    func keep(_ value: Value, readAt generation: Int, time: ContinuousClock.Instant) {
        state.withLock { state in
            guard state.generation == generation else { return }
            state.value = value
            state.readAt = time
        }
    }

    func invalidate() {
        state.withLock { state in
            state.generation += 1
            state.value = nil
        }
    }
}
