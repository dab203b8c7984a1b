import Foundation
import TongbanClient

extension TestFederation {
    /// A replica of `member`: the same certificates, keys, directory and configuration, with a home, ports and
    /// state directory of its own. `store` (YAML) is appended to both configurations, so that they share a store.
    public func replica(of member: Member, name: String, store: String) throws -> Member {
        let replica = Member(code: member.code, home: directory.path + "/" + name, peerPort: try DaemonProcess.freePort(),
                             localPort: try DaemonProcess.freePort())
        try FileManager.default.createDirectory(atPath: replica.home, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: member.pki, toPath: replica.pki)
        let catalogue = member.home + "/catalogue.yaml"
        if FileManager.default.fileExists(atPath: catalogue) { try FileManager.default.copyItem(atPath: catalogue, toPath: replica.home + "/catalogue.yaml") }
        var config = try String(contentsOfFile: member.configPath, encoding: .utf8)
        config = config.replacingOccurrences(of: "port: \(member.peerPort)}", with: "port: \(replica.peerPort)}")
            .replacingOccurrences(of: "port: \(member.localPort)}", with: "port: \(replica.localPort)}")
        if !config.contains("\nstore:") { config += "\n" + store }
        try config.write(toFile: replica.configPath, atomically: true, encoding: .utf8)
        try useStore(store, for: member)
        return replica
    }

    /// Appends `store` (YAML) to `member`'s configuration, once.
    public func useStore(_ store: String, for member: Member) throws {
        let config = try String(contentsOfFile: member.configPath, encoding: .utf8)
        if !config.contains("\nstore:") { try (config + "\n" + store).write(toFile: member.configPath, atomically: true, encoding: .utf8) }
    }

    /// `store:` for a PostgreSQL database (`TestPostgres.makeDatabase`).
    public static func postgresStore(_ url: String, cacheSeconds: Int = 1) -> String {
        "store:\n  kind: postgresql\n  url: \"\(url)\"\n  cacheSeconds: \(cacheSeconds)\n"
    }
}

/// haproxy (Debian's package, which `make deps` installs) started with the shipped configuration
/// (`systemd/haproxy-tongban.cfg`), its `bind` and `server` lines replaced: `port` on loopback in front of
/// `servers` (each replica's peer port, health-checked on its local port).
public final class TestHAProxy: @unchecked Sendable {
    public let pid: pid_t
    public let log: String
    private var exited = false

    public init(shippedConfig: String, directory: String, port: Int, servers: [(peer: Int, local: Int)]) throws {
        let executable = ["/usr/sbin/haproxy", "/usr/bin/haproxy"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let executable else { throw DaemonFailure("haproxy is not installed: run make deps, or apt-get install haproxy") }
        var lines: [String] = []
        for line in try String(contentsOfFile: shippedConfig, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false) {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("bind ") {
                lines.append("    bind 127.0.0.1:\(port)")
            } else if text.hasPrefix("server ") {
                continue
            } else {
                lines.append(String(line))
            }
        }
        lines += servers.enumerated().map { "    server replica\($0.offset + 1) 127.0.0.1:\($0.element.peer) check port \($0.element.local)" }
        let path = directory + "/haproxy.cfg"
        try lines.joined(separator: "\n").appending("\n").write(toFile: path, atomically: true, encoding: .utf8)
        log = directory + "/haproxy.log"
        let check = try Spawn.capture(executable, ["-c", "-f", path])
        guard check.status == 0 else { throw DaemonFailure("haproxy refuses its configuration:\n\(check.output)") }
        pid = try DaemonProcess.spawn(executable: executable, arguments: ["-db", "-f", path], log: log,
                                      environment: ProcessInfo.processInfo.environment, newSession: true, defaultSignals: true)
    }

    public func stop() {
        guard !exited else { return }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        exited = true
    }

    deinit { stop() }
}
