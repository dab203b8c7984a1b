import Foundation
import Testing
import TongbanTestKit

/// The daemon speaks the systemd notify protocol to a socket the test owns, and exits 0 on SIGTERM.
@Suite(.serialized) struct SystemdTests {
    @Test func notifiesReadyWatchdogAndStoppingAndExitsZeroOnSIGTERM() async throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        let listener = try NotifySocket(path: federation.directory.file("notify.sock"))
        defer { listener.close() }
        let daemon = try await RunningDaemon(federation["11"], environment: [
            "NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "400000", "JOURNAL_STREAM": "8:1234",
        ], waitReady: false)
        let ready = await listener.waitFor("READY=1", timeout: .seconds(30))
        #expect(ready, "no READY=1; log:\n\(daemon.logText)")
        #expect(await listener.waitFor("WATCHDOG=1", timeout: .seconds(5)))
        // A reload is announced: RELOADING=1 (with MONOTONIC_USEC), then READY=1 again.
        kill(daemon.pid, SIGHUP)
        #expect(await listener.waitFor("RELOADING=1", timeout: .seconds(10)), "\(daemon.logText)")
        #expect(listener.messages.contains { $0.contains("RELOADING=1") && $0.contains("MONOTONIC_USEC=") })
        #expect(await listener.waitUntil(timeout: .seconds(10)) { $0.count("READY=1") == 2 })
        let start = ContinuousClock.now
        let code = await daemon.stop(signal: SIGTERM)
        #expect(code == 0, "\(daemon.logText)")
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(await listener.waitFor("STOPPING=1", timeout: .seconds(2)))
        // Under systemd (JOURNAL_STREAM) lines carry a syslog priority and no timestamp.
        let lines = daemon.logText.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("<5>ready") })
        #expect(!lines.contains { $0.hasPrefix("20") })
    }

    @Test func sigintAlsoDrainsAndExitsZero() async throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        let daemon = try await RunningDaemon(federation["31"])
        #expect(await daemon.stop(signal: SIGINT) == 0)
        #expect(daemon.logText.contains("stopped"))
    }
}

/// A unix datagram socket that collects what a daemon sends to `$NOTIFY_SOCKET`.
final class NotifySocket: @unchecked Sendable {
    let path: String
    let fd: Int32
    private var received: [String] = []

    init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard fd >= 0, result == 0 else { throw DaemonFailure("cannot bind \(path)") }
    }

    func drain() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { return }
            received.append(String(decoding: buffer[0..<n], as: UTF8.self))
        }
    }

    func waitFor(_ line: String, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            drain()
            if received.contains(where: { $0.split(separator: "\n").contains(Substring(line)) }) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    var messages: [String] {
        drain()
        return received
    }

    func count(_ line: String) -> Int {
        messages.filter { $0.split(separator: "\n").contains(Substring(line)) }.count
    }

    func waitUntil(timeout: Duration, _ condition: (NotifySocket) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    func close() {
        Glibc.close(fd)
        unlink(path)
    }
}
