import Foundation

/// The systemd notification protocol (`sd_notify`): datagrams such as `READY=1` to `$NOTIFY_SOCKET`.
/// No Swift package implements it; it is one `sendto` on a unix datagram socket. Without `NOTIFY_SOCKET`
/// (not started by systemd) every call does nothing.
public struct SystemdNotifier: Sendable {
    public let socketPath: String?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let path = environment["NOTIFY_SOCKET"]
        self.socketPath = (path?.isEmpty ?? true) ? nil : path
    }

    public var isActive: Bool { socketPath != nil }

    @discardableResult
    public func notify(_ state: String) -> Bool {
        guard let socketPath else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }  // abstract namespace
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count + (pathBytes.first == 0 ? 0 : 1))
        let message = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                message.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), sockaddrPointer, length) }
            }
        }
        return sent == message.count
    }

    /// CLOCK_MONOTONIC in microseconds, sent with `RELOADING=1` as systemd asks.
    public static func monotonicMicroseconds() -> UInt64 {
        UInt64(ProcessInfo.processInfo.systemUptime * 1_000_000)  // Foundation reads CLOCK_MONOTONIC
    }

    /// Half of `WATCHDOG_USEC` when systemd asks for keep-alives for this process, else nil.
    public static func watchdogInterval(environment: [String: String] = ProcessInfo.processInfo.environment) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0 else { return nil }
        if let pid = environment["WATCHDOG_PID"], let number = Int32(pid), number != getpid() { return nil }
        return .microseconds(Int64(usec / 2))
    }
}
