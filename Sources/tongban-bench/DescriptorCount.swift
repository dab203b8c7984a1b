import Foundation

/// A process's open file descriptors (`/proc/PID/fd`, Linux), and how many of them are live TCP connections.
///
/// Connections come and go with the load generator's pool (its idle ones close after a minute and reopen on
/// demand), so a soak judges the other descriptors: files, pipes, event fds, listening sockets, and any
/// connection the daemon failed to close (no longer `ESTABLISHED`, e.g. `CLOSE_WAIT`).
struct DescriptorCount: Codable, Sendable, Equatable {
    var total: Int
    /// Descriptors that are TCP sockets in the `ESTABLISHED` state.
    var connections: Int
    /// Every other descriptor: what must not grow under a steady load.
    var others: Int { total - connections }

    /// Nil when the process has gone or its descriptors cannot be read (another user's process).
    static func read(pid: Int32) -> DescriptorCount? {
        let directory = "/proc/\(pid)/fd"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        let established = establishedSocketInodes(pid: pid)
        var connections = 0
        for entry in entries {
            // "socket:[INODE]" for a socket; the link may vanish between listing and reading (a closed descriptor).
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/" + entry),
                  target.hasPrefix("socket:["), target.hasSuffix("]") else { continue }
            if established.contains(String(target.dropFirst("socket:[".count).dropLast())) { connections += 1 }
        }
        return DescriptorCount(total: entries.count, connections: connections)
    }

    /// The inodes of the `ESTABLISHED` TCP sockets (state `01`) in the process's network namespace, IPv4 and IPv6.
    static func establishedSocketInodes(pid: Int32) -> Set<String> {
        var inodes = Set<String>()
        for table in ["tcp", "tcp6"] {
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/net/\(table)", encoding: .utf8) else { continue }
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                if fields.count > 9, fields[3] == "01" { inodes.insert(String(fields[9])) }
            }
        }
        return inodes
    }
}
