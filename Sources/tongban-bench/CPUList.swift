import Foundation

/// The CPUs the server (and nginx) are pinned to, in `taskset -c`'s list syntax: `0`, `0-3`, `0,2,4-5`.
///
/// One CPU is the headline set-up. Several let a machine with more cores than this one measure how the
/// gateway scales: it runs one event loop per CPU it may use, and the targets stated per core are then judged
/// per CPU given (`Summary`).
struct CPUList: Sendable, Equatable {
    /// The CPUs, ascending, each once.
    let cpus: [Int]

    /// The list as `taskset -c` takes it.
    var text: String { cpus.map(String.init).joined(separator: ",") }

    /// The list `text` spells, or nil for `-1` (no pinning). Refuses anything else that is not a list of CPUs this
    /// machine has, saying which part is wrong.
    static func parse(_ text: String, available: Int = sysconf(Int32(_SC_NPROCESSORS_CONF))) throws(BenchError) -> CPUList? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "-1" { return nil }
        var cpus = Set<Int>()
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), let first = number(bounds[0]), let last = number(bounds[bounds.count - 1]), first <= last else {
                throw BenchError("--server-cpu \(text): '\(part)' is not a CPU or a range of CPUs (e.g. 0, 0-3, 0,2; -1 for no pinning)")
            }
            guard last < available else {
                throw BenchError("--server-cpu \(text): CPU \(last) does not exist (this machine has CPUs 0-\(available - 1))")
            }
            cpus.formUnion(first...last)
        }
        return CPUList(cpus: cpus.sorted())
    }

    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 4, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }
}
