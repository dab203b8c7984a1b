import Foundation
import Glibc

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
    ///
    /// The kernel lists the table a buffer at a time and finds its place again at each read, so entries can be
    /// skipped while connections open and close (a soak's samples counted 5 or 7 of 7 live connections at random).
    /// Each table is read in one large read, three times, and the inodes seen are united: a connection that stays
    /// established is seen, and one the daemon failed to close (`CLOSE_WAIT`) never is.
    static func establishedSocketInodes(pid: Int32) -> Set<String> {
        var inodes = Set<String>()
        for _ in 0..<3 {
            for table in ["tcp", "tcp6"] {
                guard let text = readWhole("/proc/\(pid)/net/\(table)") else { continue }
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
                for line in text.split(separator: "\n").dropFirst() {
                    let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                    if fields.count > 9, fields[3] == "01" { inodes.insert(String(fields[9])) }
                }
            }
        }
        return inodes
    }

    /// A `/proc` file's text from as few `read` calls as it takes with a 4 MiB buffer (one, for any table here).
    private static func readWhole(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 { return nil }
            if count == 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: data, as: UTF8.self)
    }
}
