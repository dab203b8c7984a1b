import Foundation

/// CPUs' time by kind, from `/proc/stat`, in clock ticks: what the bench needs to tell how much of a scenario
/// the hypervisor took away from the server's CPU (steal), which no tuning of the daemon can give back.
struct CPUTimes: Sendable {
    /// Every kind of time the kernel counts for the CPU (user … steal), summed.
    let total: Double
    /// Time the CPU wanted to run but the hypervisor ran something else.
    let steal: Double

    /// The sum of the listed CPUs' lines, or the whole machine's line when `cpus` is nil; nil when `/proc/stat`
    /// cannot be read or lacks one of them.
    static func read(cpus: [Int]?) -> CPUTimes? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        let labels = cpus.map { $0.map { "cpu\($0)" } } ?? ["cpu"]
        var lines: [String: [Double]] = [:]
        for line in stat.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard let label = words.first.map(String.init), labels.contains(label) else { continue }
            // user nice system idle iowait irq softirq steal [guest guest_nice, already counted in user and nice]
            let fields = words.dropFirst().prefix(8).compactMap { Double($0) }
            guard fields.count == 8 else { return nil }
            lines[label] = fields
        }
        guard lines.count == labels.count else { return nil }
        let summed = lines.values.reduce(into: [Double](repeating: 0, count: 8)) { sum, fields in
            for index in sum.indices { sum[index] += fields[index] }
        }
        return CPUTimes(total: summed.reduce(0, +), steal: summed[7])
    }

    /// The share of the time between `earlier` and this sample that was stolen, in percent.
    func stealPercent(since earlier: CPUTimes) -> Double? {
        let elapsed = total - earlier.total
        return elapsed > 0 ? (steal - earlier.steal) / elapsed * 100 : nil
    }
}
