import Foundation
import Glibc
import Histogram

/// The floor under an audited exchange's latency: how long the store's disk takes to make a small write durable.
/// Each round overwrites 16 KiB (four pages; a one-entry audit commit adds about five to the WAL) in a file of 4 MiB
/// written beforehand, so its size never changes, and calls `fdatasync` — as SQLite commits to a WAL after a
/// restart. Measured in the bench's directory, on the filesystem of the daemon's state.
enum DiskReference {
    struct Latency: Codable, Sendable {
        var syncsPerSecond: Double
        var p50Ms: Double
        var p99Ms: Double
        var p999Ms: Double
        /// The longest single sync: the host's own stalls, which decide a fixed-rate scenario's p99 when they last
        /// longer than 1 % of it.
        var maxMs: Double
    }

    static func measure(directory: String, seconds: Double = 2) throws -> Latency {
        let path = directory + "/fsync-reference.bin"
        let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw BenchError("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer {
            close(descriptor)
            unlink(path)
        }
        let chunk = 16 * 1024, fileSize = 4 * 1024 * 1024
        var bytes = [UInt8](repeating: 0x5A, count: chunk)
        for offset in stride(from: 0, to: fileSize, by: chunk) {
            guard pwrite(descriptor, &bytes, chunk, off_t(offset)) == chunk else { throw BenchError("cannot write \(path)") }
        }
        guard fsync(descriptor) == 0 else { throw BenchError("cannot fsync \(path)") }

        var latency = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        let clock = ContinuousClock()
        let start = clock.now
        let end = start + .milliseconds(Int64(seconds * 1000))
        var round = 0
        while clock.now < end {
            let begin = clock.now
            bytes[0] = UInt8(truncatingIfNeeded: round)
            guard pwrite(descriptor, &bytes, chunk, off_t((round * chunk) % fileSize)) == chunk, fdatasync(descriptor) == 0 else {
                throw BenchError("cannot write and sync \(path): \(String(cString: strerror(errno)))")
            }
            _ = latency.record(LoadGenerator.microseconds(clock.now - begin))
            round += 1
        }
        return Latency(syncsPerSecond: Double(round) / LoadGenerator.seconds(clock.now - start),
                       p50Ms: latency.milliseconds(atPercentile: 50), p99Ms: latency.milliseconds(atPercentile: 99),
                       p999Ms: latency.milliseconds(atPercentile: 99.9), maxMs: latency.maxMilliseconds)
    }
}
