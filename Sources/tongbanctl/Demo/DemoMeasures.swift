import Foundation

/// What `demo up` and `demo converge` report: a daemon's resident memory, durations in seconds.
enum DemoMeasures {
    /// VmRSS of `pid` from /proc, in MiB; nil when it cannot be read.
    static func rssMiB(_ pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kib = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kib / 1024
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
