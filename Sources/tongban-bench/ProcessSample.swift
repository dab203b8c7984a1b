import Foundation

/// A process's CPU time and memory, read from `/proc` (Linux).
struct ProcessSample: Sendable {
    /// User plus system time of all its threads, in seconds.
    let cpuSeconds: Double
    let rssMiB: Double
    /// The part of `rssMiB` that is the process's own memory (heap, stacks), not mapped file pages — the
    /// executable, the libraries, and the records' database, which lookups read through a memory map.
    let anonymousRSSMiB: Double
    /// Peak resident set since start or since `resetPeak`.
    let peakRSSMiB: Double

    static func read(pid: Int32) -> ProcessSample? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // After "pid (comm)": field 3 (state) is index 0, so utime (14) and stime (15) are 11 and 12.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        func kibibytes(_ key: String) -> Double {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return 0 }
            return Double(line.split(separator: " ").dropFirst().first.map(String.init) ?? "") ?? 0
        }
        return ProcessSample(cpuSeconds: (user + system) / ticks, rssMiB: kibibytes("VmRSS") / 1024, anonymousRSSMiB: kibibytes("RssAnon") / 1024,
                             peakRSSMiB: kibibytes("VmHWM") / 1024)
    }

    /// Whether the process exists and has not exited. A daemon killed while its parent has not yet reaped it is a
    /// zombie: its `/proc` entry remains, with no memory and no descriptors, which must not read as a lean daemon.
    static func isAlive(pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].drop { $0 == " " }.first
        return state != nil && state != "Z" && state != "X"
    }

    /// Bytes the process has caused to be written to storage (`write_bytes` in `/proc/PID/io`: file pages it dirtied;
    /// not sockets or pipes); nil when it cannot be read.
    static func storageBytesWritten(pid: Int32) -> Int? {
        guard let io = try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8),
              let line = io.split(separator: "\n").first(where: { $0.hasPrefix("write_bytes:") }) else { return nil }
        return Int(line.dropFirst("write_bytes:".count).trimmingCharacters(in: .whitespaces))
    }

    /// Resets the kernel's peak-RSS mark (`/proc/PID/clear_refs`), so the next peak is this scenario's.
    static func resetPeak(pid: Int32) {
        try? "5".write(toFile: "/proc/\(pid)/clear_refs", atomically: false, encoding: .utf8)
    }
}
