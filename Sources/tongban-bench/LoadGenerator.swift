import Foundation
import Histogram

/// Drives an operation either closed-loop (C workers, each sending its next request when the last is answered)
/// or open-loop at a fixed rate (requests start on schedule whatever the answers do; latency counts from the
/// scheduled start, so a stall is not hidden — no coordinated omission).
enum LoadGenerator {
    typealias Operation = @Sendable (_ sequence: Int) async throws -> Outcome

    static func closedLoop(workers: Int, duration: Duration, _ operation: @escaping Operation) async -> LoadResult {
        let clock = ContinuousClock()
        let start = clock.now
        let end = start + duration
        var total = LoadResult()
        await withTaskGroup(of: LoadResult.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var result = LoadResult()
                    var sequence = worker
                    while clock.now < end {
                        let begin = clock.now
                        do {
                            let outcome = try await operation(sequence)
                            _ = result.latency.record(microseconds(clock.now - begin))
                            result.requests += 1
                            result.wireBytes += outcome.wireBytes
                            result.rawBytes += outcome.rawBytes
                            result.items += outcome.items
                        } catch {
                            result.errors += 1
                            if result.firstError == nil { result.firstError = String(describing: error) }
                        }
                        sequence += workers
                    }
                    return result
                }
            }
            for await result in group { total.merge(result) }
        }
        total.seconds = seconds(clock.now - start)
        return total
    }

    static func fixedRate(_ rate: Int, duration: Duration, _ operation: @escaping Operation) async -> LoadResult {
        let clock = ContinuousClock()
        let start = clock.now
        let count = Int(seconds(duration) * Double(rate))
        let interval = Duration.nanoseconds(1_000_000_000 / Int64(rate))
        var total = LoadResult()
        await withTaskGroup(of: (UInt64, Outcome?, String?).self) { group in
            var next = 0
            while next < count {
                // Start every request whose time has come, then sleep until the next one is due.
                let now = clock.now
                while next < count, start + interval * next <= now {
                    let scheduled = start + interval * next
                    let sequence = next
                    group.addTask {
                        do {
                            let outcome = try await operation(sequence)
                            return (microseconds(clock.now - scheduled), outcome, nil)
                        } catch {
                            return (microseconds(clock.now - scheduled), nil, String(describing: error))
                        }
                    }
                    next += 1
                }
                if next < count { try? await clock.sleep(until: start + interval * next) }
            }
            for await (latency, outcome, error) in group {
                if let outcome {
                    _ = total.latency.record(latency)
                    total.requests += 1
                    total.wireBytes += outcome.wireBytes
                    total.rawBytes += outcome.rawBytes
                    total.items += outcome.items
                } else {
                    total.errors += 1
                    if total.firstError == nil { total.firstError = error }
                }
            }
        }
        total.seconds = seconds(clock.now - start)
        return total
    }

    static func microseconds(_ duration: Duration) -> UInt64 {
        UInt64(max(0, duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
