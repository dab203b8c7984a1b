/// One peer's allowance: up to `capacity` requests at once, refilled at `rate` per second.
struct TokenBucket: Sendable {
    let rate: Double
    let capacity: Double
    private(set) var tokens: Double
    private var last: Double

    init(rate: Double, capacity: Int, now: Double) {
        self.rate = rate
        self.capacity = Double(capacity)
        tokens = Double(capacity)
        last = now
    }

    /// Takes a token: nil when granted, otherwise the seconds until one will be there.
    mutating func take(now: Double) -> Double? {
        tokens = min(capacity, tokens + max(0, now - last) * rate)
        last = max(last, now)
        guard tokens >= 1 else { return (1 - tokens) / rate }
        tokens -= 1
        return nil
    }
}
