/// The soak's load: open loop at a fixed rate like `fixedRate`, but each answer is counted as it arrives (in a
/// `SoakTally`) rather than kept until the end, so a run of millions of requests holds no per-request state.
extension LoadGenerator {
    /// Starts `rate × duration` requests on schedule, whatever the answers do, and returns how many when all are
    /// answered. Latency counts from the scheduled start (no coordinated omission).
    @discardableResult
    static func openLoop(_ rate: Int, duration: Duration, tally: SoakTally, _ operation: @escaping Operation) async -> Int {
        let clock = ContinuousClock()
        let start = clock.now
        let count = Int(seconds(duration) * Double(rate))
        let interval = Duration.nanoseconds(1_000_000_000 / Int64(rate))
        await withDiscardingTaskGroup { group in
            var next = 0
            while next < count {
                let now = clock.now
                while next < count, start + interval * next <= now {
                    let scheduled = start + interval * next
                    let sequence = next
                    group.addTask {
                        let began = clock.now
                        do {
                            let outcome = try await operation(sequence)
                            tally.answered(latency: microseconds(clock.now - scheduled), lag: microseconds(began - scheduled), outcome)
                        } catch {
                            tally.failed(lag: microseconds(began - scheduled), String(describing: error))
                        }
                    }
                    next += 1
                }
                if next < count { try? await clock.sleep(until: start + interval * next) }
            }
        }
        return count
    }
}
