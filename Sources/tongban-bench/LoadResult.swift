import Histogram

/// What a load run measured on the client side: latencies in microseconds, counts and bytes.
struct LoadResult: Sendable {
    var latency = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    var requests = 0
    var errors = 0
    var firstError: String?
    var seconds = 0.0
    /// Response bodies as they crossed the wire, and decoded.
    var wireBytes = 0
    var rawBytes = 0
    /// Records returned (batch queries) or requests otherwise.
    var items = 0
    /// The wire generator's pool of pre-signed requests ran out before the phase's end (`WireRun`).
    var poolExhausted = false

    mutating func merge(_ other: LoadResult) {
        latency.add(other.latency)
        requests += other.requests
        errors += other.errors
        firstError = firstError ?? other.firstError
        wireBytes += other.wireBytes
        rawBytes += other.rawBytes
        items += other.items
        poolExhausted = poolExhausted || other.poolExhausted
    }

    func percentileMilliseconds(_ percentile: Double) -> Double {
        latency.milliseconds(atPercentile: percentile)
    }
}
