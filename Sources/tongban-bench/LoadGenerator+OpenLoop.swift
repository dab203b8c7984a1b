import Synchronization

/// The soak's load: requests on a fixed schedule, like `fixedRate`, but sent by `workers` tasks — one per
/// connection, as wrk2 does — each taking the next scheduled request and waiting for its time if it has not come.
/// Latency counts from the scheduled time, so a request that waited for a free connection is not hidden (no
/// coordinated omission). A task per request, as `fixedRate` starts, queued thousands of requests in the HTTP
/// client's pool when an answer stalled, and the generator fell behind for good (a first soak's p99 reached 30 s).
/// Answers are counted as they arrive in a `SoakTally`, so a run of millions holds no per-request state.
extension LoadGenerator {
    /// Sends the `rate × duration` requests of the schedule and returns how many were scheduled and sent, once all
    /// sent are answered. A worker sends nothing once `grace` has passed after the schedule's end: a server that
    /// fell behind would otherwise stretch the run by as long as its backlog takes (the unsent fail the run).
    static func openLoop(_ rate: Int, duration: Duration, grace: Duration, workers: Int, tally: SoakTally,
                         _ operation: @escaping Operation) async -> (scheduled: Int, sent: Int) {
        let clock = ContinuousClock()
        let start = clock.now
        let count = Int(seconds(duration) * Double(rate))
        let interval = Duration.nanoseconds(1_000_000_000 / Int64(rate))
        let cursor = ScheduleCursor()
        let cutoff = start + duration + grace
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    while true {
                        let sequence = cursor.next.wrappingAdd(1, ordering: .relaxed).oldValue
                        guard sequence < count, clock.now < cutoff else { return }
                        cursor.sent.wrappingAdd(1, ordering: .relaxed)
                        let scheduled = start + interval * sequence
                        if scheduled > clock.now { try? await clock.sleep(until: scheduled) }
                        let began = clock.now
                        do {
                            let outcome = try await operation(sequence)
                            tally.answered(latency: microseconds(clock.now - scheduled), lag: microseconds(began - scheduled), outcome)
                        } catch {
                            tally.failed(lag: microseconds(began - scheduled), String(describing: error))
                        }
                    }
                }
            }
        }
        return (count, cursor.sent.load(ordering: .relaxed))
    }

    /// The next request of the schedule, shared by the workers.
    private final class ScheduleCursor: Sendable {
        let next = Atomic<Int>(0)
        let sent = Atomic<Int>(0)
    }
}
