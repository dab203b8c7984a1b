import Foundation

/// One CPU's time by kind, from `/proc/stat`, in clock ticks: what the bench needs to tell how much of a scenario
/// the hypervisor took away from the server's CPU (steal), which no tuning of the daemon can give back.
struct CPUTimes: Sendable {
    /// Every kind of time the kernel counts for the CPU (user … steal), summed.
    let total: Double
    /// Time the CPU wanted to run but the hypervisor ran something else.
    let steal: Double

    /// CPU `cpu`'s line, or the whole machine's when `cpu` is nil; nil when `/proc/stat` cannot be read.
    static func read(cpu: Int?) -> CPUTimes? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        let label = cpu.map { "cpu\($0)" } ?? "cpu"
        guard let line = stat.split(separator: "\n").first(where: { $0.split(separator: " ").first.map(String.init) == label }) else { return nil }
        // user nice system idle iowait irq softirq steal [guest guest_nice, already counted in user and nice]
        let fields = line.split(separator: " ").dropFirst().prefix(8).compactMap { Double($0) }
        guard fields.count == 8 else { return nil }
        return CPUTimes(total: fields.reduce(0, +), steal: fields[7])
    }

    /// The share of the time between `earlier` and this sample that was stolen, in percent.
    func stealPercent(since earlier: CPUTimes) -> Double? {
        let elapsed = total - earlier.total
        return elapsed > 0 ? (steal - earlier.steal) / elapsed * 100 : nil
    }
}
