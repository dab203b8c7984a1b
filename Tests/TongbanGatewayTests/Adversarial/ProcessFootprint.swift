import Foundation

/// A process's resident set and open files, read from `/proc` (Linux).
struct ProcessFootprint: Sendable, CustomStringConvertible {
    let residentKiB: Int
    let openFiles: Int
    /// What each open file is (`socket:[…]`, a path), for a report when their number grows.
    let files: [String]

    static func of(_ pid: pid_t) -> ProcessFootprint? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? ""),
              let files = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else { return nil }
        let targets = files.map { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)")) ?? "?" }
        return ProcessFootprint(residentKiB: kib, openFiles: files.count, files: targets.sorted())
    }

    var sockets: Int { files.filter { $0.hasPrefix("socket:") }.count }
    /// The distinct files open that are not sockets, pipes or event descriptors: paths.
    var paths: Set<String> { Set(files.filter { $0.hasPrefix("/") }) }

    var description: String {
        String(format: "RSS %.1f MiB, %d open files (%d sockets)", Double(residentKiB) / 1024, openFiles, sockets)
    }
}
