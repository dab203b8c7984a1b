import Foundation

/// A process's resident set and open files, read from `/proc` (Linux).
struct ProcessFootprint: Sendable, CustomStringConvertible {
    let residentKiB: Int
    let openFiles: Int

    static func of(_ pid: pid_t) -> ProcessFootprint? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? ""),
              let files = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else { return nil }
        return ProcessFootprint(residentKiB: kib, openFiles: files.count)
    }

    var description: String { String(format: "RSS %.1f MiB, %d open files", Double(residentKiB) / 1024, openFiles) }
}
