import Foundation
import TongbanClient

/// Starting a reference server (nginx, a framework reference) for the bench, and waiting for its port.
enum ReferenceProcess {
    /// `command` (launcher first, e.g. `taskset -c 0`) in a session of its own, output appended to `log`,
    /// without the systemd notification socket the bench may have inherited.
    static func spawn(_ command: [String], log: String) throws -> Int32 {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NOTIFY_SOCKET")
        return try DaemonProcess.spawn(executable: command[0], arguments: Array(command.dropFirst()), log: log, environment: environment)
    }

    /// True once `port` accepts connections; false when `pid` exits first or ten seconds pass.
    static func waitForListener(port: Int, pid: Int32) async throws -> Bool {
        for _ in 0..<200 {
            if accepts(port: port) { return true }
            guard DaemonProcess.isRunning(pid) else { return false }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port` right now.
    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
