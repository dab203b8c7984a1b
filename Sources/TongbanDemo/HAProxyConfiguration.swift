import Foundation
import Glibc
import TongbanClient
import TongbanCore

/// haproxy in front of the replicas of one province (docs/deployment.md, "Two or more machines"). The shipped
/// `systemd/haproxy-tongban.cfg` is `render(bind:servers:)` for two example replicas (a test checks that they are the
/// same); the demo and the tests start haproxy with it.
public enum HAProxyConfiguration {
    /// The configuration for a frontend on `bind` (`address:port`) and `servers`: each replica's peer address and
    /// port, and the port of its local listener, where `/healthz` is checked.
    public static func render(bind: String, servers: [(name: String, address: String, peerPort: Int, healthPort: Int)]) -> String {
        let fixed = [
        "# haproxy in front of the replicas of one province's gateway (docs/deployment.md, \"Two or more machines\").",
        "#",
        "# TCP mode: mutual TLS passes through untouched, so each replica sees the calling province's own certificate and",
        "# checks it, and haproxy holds no key. Health checks ask each replica's local listener for /healthz, which answers",
        "# 503 while the replica drains (`tongbanctl drain`, SIGTERM) or cannot reach its store. Install as",
        "# /etc/haproxy/haproxy.cfg (or a file it includes), put the replicas' addresses on the `server` lines, and publish",
        "# this address as the province's URL in the federation manifest.",
        "#",
        "# Written by HAProxyConfiguration.render (Sources/TongbanDemo), which the demo and the tests start haproxy with.",
        "",
        "global",
        "    # Connections at once, all peers together (each side of a connection counts): raise with the open-file limit.",
        "    maxconn 4000",
        "    log stdout format raw local0 warning",
        "",
        "defaults",
        "    mode tcp",
        "    log global",
        "    option tcplog",
        "    timeout connect 2s",
        "    # Longer than the gateways' idle timeout (30 s by default), so that the gateway, not haproxy, closes idle",
        "    # keep-alive connections, with its own graceful shutdown.",
        "    timeout client 60s",
        "    timeout server 60s",
        "    # A connection a dead replica refuses is tried again on another one.",
        "    retries 2",
        "    option redispatch",
        "",
        "frontend tongban_peer",
        "    bind \(bind)",
        "    default_backend tongban_replicas",
        "",
        "backend tongban_replicas",
        "    # Least connections: a peer's keep-alive connections spread over the replicas.",
        "    balance leastconn",
        "    option httpchk GET /healthz",
        "    http-check expect status 200",
        "    # Checked every 500 ms; down after 2 failed checks (≈ 1 s), up after 2 good ones. A replica marked down keeps the",
        "    # connections it has (a draining one finishes them, then closes them as it stops); new ones go to the others.",
        "    default-server inter 500ms fall 2 rise 2",
        ]
        let lines = servers.map { "    server \($0.name) \($0.address):\($0.peerPort) check port \($0.healthPort)" }
        return (fixed + lines).joined(separator: "\n") + "\n"
    }

    /// The shipped file's replicas.
    public static let example: [(name: String, address: String, peerPort: Int, healthPort: Int)] = [
        ("replica1", "10.0.1.11", 8443, 8080), ("replica2", "10.0.1.12", 8443, 8080),
    ]
}

/// haproxy started in the foreground with a rendered configuration (the demo's and the tests').
public struct LocalHAProxy: Sendable, Codable {
    public let pid: Int32
    public let configPath: String
    public let log: String

    public static func start(in directory: String, bind: String, servers: [(name: String, address: String, peerPort: Int, healthPort: Int)])
        throws(TongbanError) -> LocalHAProxy {
        guard let executable = ["/usr/sbin/haproxy", "/usr/bin/haproxy"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TongbanError(.configInvalid, "haproxy is not installed: apt-get install haproxy (make deps does)")
        }
        let configPath = directory + "/haproxy.cfg", log = directory + "/haproxy.log"
        do {
            try HAProxyConfiguration.render(bind: bind, servers: servers).write(toFile: configPath, atomically: true, encoding: .utf8)
        } catch {
            throw TongbanError(.internalError, "cannot write \(configPath): \(error)")
        }
        let pid = try DaemonProcess.spawn(executable: executable, arguments: ["-db", "-f", configPath], log: log,
                                          environment: ProcessInfo.processInfo.environment, newSession: true, defaultSignals: true)
        return LocalHAProxy(pid: pid, configPath: configPath, log: log)
    }

    /// Stops it and waits for it (it is this process's child when started here).
    public func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
    }
}
