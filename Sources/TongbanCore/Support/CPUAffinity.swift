import Foundation

/// The CPUs this process may run on (`taskset`, systemd's `CPUAffinity=`), which NIO's `System.coreCount`
/// does not consult: a daemon pinned to one core would otherwise start one event loop per core of the
/// machine and pay for context switches between them (seen in the benchmark).
public enum CPUAffinity {
    /// How many CPUs `Cpus_allowed_list` in `/proc/self/status` names; nil when it cannot be read.
    public static var allowedCount: Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else { return nil }
        return count(list: line.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces))
    }

    /// Counts a kernel CPU list such as `0-3,8,10-11`.
    static func count(list: String) -> Int? {
        var total = 0
        for part in list.split(separator: ",") {
            let bounds = part.split(separator: "-").map { Int($0) }
            switch bounds.count {
            case 1: guard bounds[0] != nil else { return nil }; total += 1
            case 2: guard let low = bounds[0], let high = bounds[1], high >= low else { return nil }; total += high - low + 1
            default: return nil
            }
        }
        return total > 0 ? total : nil
    }
}
