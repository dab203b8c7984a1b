import Foundation
import TongbanClient
import TongbanDemo

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

/// haproxy (Debian's package, which `make deps` installs) with the shipped configuration (`HAProxyConfiguration`):
/// `port` on loopback in front of `servers` (each replica's peer port, health-checked on its local port).
public final class TestHAProxy: @unchecked Sendable {
    public let process: LocalHAProxy
    private var stopped = false

    public init(directory: String, port: Int, servers: [(peer: Int, local: Int)]) throws {
        process = try LocalHAProxy.start(in: directory, bind: "127.0.0.1:\(port)",
                                         servers: servers.enumerated().map { ("replica\($0.offset + 1)", "127.0.0.1", $0.element.peer, $0.element.local) })
    }

    public func stop() {
        guard !stopped else { return }
        stopped = true
        process.stop()
    }

    deinit { stop() }
}
