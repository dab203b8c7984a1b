import Histogram
import Synchronization

/// What the soak's open-loop generator has counted so far: the whole run, and the interval since the sampler last
/// took it. Answers are counted as they arrive, so nothing is held per request over a run of millions.
final class SoakTally: Sendable {
    private struct State {
        var total = SoakTally.emptyResult
        var window = SoakTally.emptyResult
        /// How late each request started after its scheduled time, in microseconds: every connection was busy
        /// (the server was slow to answer) or the generator's CPU was. The latency includes it.
        var lag = Histogram<UInt64>(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
    }

    private let state = Mutex(State())

    /// A load result whose histogram reaches an hour: a soak whose server falls behind sees latencies past the
    /// benchmark's 60 s, which a 60 s histogram drops (the first 30-minute soak's p99 read 0 once all were later).
    static var emptyResult: LoadResult {
        LoadResult(latency: Histogram(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three))
    }

    func answered(latency: UInt64, lag: UInt64, _ outcome: Outcome) {
        state.withLock { state in
            for keyPath in [\State.total, \State.window] {
                _ = state[keyPath: keyPath].latency.record(latency)
                state[keyPath: keyPath].requests += 1
                state[keyPath: keyPath].wireBytes += outcome.wireBytes
                state[keyPath: keyPath].rawBytes += outcome.rawBytes
                state[keyPath: keyPath].items += outcome.items
            }
            _ = state.lag.record(lag)
        }
    }

    func failed(lag: UInt64, _ error: String) {
        state.withLock { state in
            for keyPath in [\State.total, \State.window] {
                state[keyPath: keyPath].errors += 1
                if state[keyPath: keyPath].firstError == nil { state[keyPath: keyPath].firstError = error }
            }
            _ = state.lag.record(lag)
        }
    }

    /// What was counted since the last call, which starts the next interval.
    func takeWindow() -> LoadResult {
        state.withLock { state in
            defer { state.window = SoakTally.emptyResult }
            return state.window
        }
    }

    var total: LoadResult { state.withLock { $0.total } }
    var lag: Histogram<UInt64> { state.withLock { $0.lag } }
}
