import Foundation
import Glibc
import TongbanClient
import TongbanCore

/// A private PostgreSQL cluster on this machine (Debian's `postgresql` package): made with `initdb` in `directory`,
/// listening on a free loopback port with password (SCRAM) authentication, for the demo, the benchmark and the
/// tests. As root the server runs as the `postgres` user, since PostgreSQL refuses to run as root.
public struct LocalPostgres: Sendable, Codable {
    public let directory: String
    public let port: Int
    public let binDirectory: String
    public var user = "tongban"
    public let password: String
    /// True when the cluster lives in a directory of its own under /tmp (see `start`), which `stop` removes.
    public var relocated: Bool?

    /// Makes and starts a cluster in `directory` (created; must not hold one). As root, when the `postgres` user could
    /// not reach `directory` (a parent of mode 0700, as mkdtemp makes), the cluster goes to a new directory under /tmp
    /// and `directory` becomes a symbolic link to it.
    public static func start(in requested: String) throws(TongbanError) -> LocalPostgres {
        var directory = requested
        if getuid() == 0, !othersCanReach(URL(fileURLWithPath: requested).deletingLastPathComponent().path) {
            var template = Array("/tmp/tongban-pg-XXXXXX".utf8CString)
            guard let made = mkdtemp(&template) else { throw TongbanError(.internalError, "cannot make a directory for PostgreSQL under /tmp") }
            directory = String(cString: made)
            try? FileManager.default.removeItem(atPath: requested)
            try? FileManager.default.createSymbolicLink(atPath: requested, withDestinationPath: directory)
        }
        guard let bin = findBinDirectory() else {
            throw TongbanError(.configInvalid, "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql (make deps does)")
        }
        let cluster = LocalPostgres(directory: directory, port: try DaemonProcess.freePort(), binDirectory: bin,
                                    password: "pw-" + UUID().uuidString.lowercased(), relocated: directory != requested ? true : nil)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try cluster.password.write(toFile: directory + "/pwfile", atomically: true, encoding: .utf8)
        } catch {
            throw TongbanError(.configInvalid, "cannot prepare \(directory) for PostgreSQL: \(error)")
        }
        if getuid() == 0 { _ = try? cluster.runQuietly("/bin/chown", ["-R", "postgres:postgres", directory], asOwner: false) }
        let initdb = try cluster.runQuietly(bin + "/initdb", ["-D", directory + "/data", "-U", cluster.user, "--pwfile=" + directory + "/pwfile",
                                                             "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--locale=C.UTF-8"])
        guard initdb == 0 else {
            throw TongbanError(.internalError, "initdb failed (exit \(initdb)); see \(directory)/postgres-setup.log")
        }
        let options = "-p \(cluster.port) -k \(directory) -c listen_addresses=127.0.0.1 -c max_connections=200"
        let started = try cluster.runQuietly(bin + "/pg_ctl", ["-D", directory + "/data", "-o", options, "-l", directory + "/server.log",
                                                              "-w", "-t", "60", "start"])
        guard started == 0 else { throw TongbanError(.internalError, "PostgreSQL did not start; see \(directory)/server.log") }
        return cluster
    }

    /// Stops the server (immediate: the tests and the demo keep nothing).
    public func stop() {
        _ = try? runQuietly(binDirectory + "/pg_ctl", ["-D", directory + "/data", "-m", "immediate", "-w", "stop"])
        if relocated == true { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// A new, empty database; returns its `store.url`.
    public func makeDatabase(_ prefix: String = "t") throws(TongbanError) -> String {
        let name = prefix + "_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        try sql("CREATE DATABASE \(name)")
        return url(database: String(name))
    }

    public func url(database: String) -> String {
        "postgresql://\(user):\(password)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// Runs `statement` with psql on the Unix socket; returns what it printed, unaligned and without headers.
    @discardableResult
    public func sql(_ statement: String, database: String = "postgres") throws(TongbanError) -> String {
        let output = directory + "/psql.out"
        let status = try runQuietly(binDirectory + "/psql", ["-h", directory, "-p", String(port), "-U", user, "-d", database, "-v", "ON_ERROR_STOP=1",
                                                             "-A", "-t", "-o", output, "-c", statement])
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let log = (try? String(contentsOfFile: directory + "/postgres-setup.log", encoding: .utf8))?.split(separator: "\n").suffix(5).joined(separator: "\n") ?? ""
            throw TongbanError(.internalError, "psql failed on \(statement): \(log)")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs a program as the cluster's owner with every other descriptor closed (a server it starts must hold no
    /// pipe of ours), its output appended to `postgres-setup.log`; returns its exit status.
    func runQuietly(_ program: String, _ arguments: [String], asOwner: Bool = true) throws(TongbanError) -> Int32 {
        let asPostgres = asOwner && getuid() == 0
        let pid = try DaemonProcess.spawn(executable: asPostgres ? "/usr/sbin/runuser" : program,
                                          arguments: asPostgres ? ["-u", "postgres", "--", program] + arguments : arguments,
                                          log: directory + "/postgres-setup.log", environment: ProcessInfo.processInfo.environment,
                                          newSession: true, defaultSignals: true)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status >> 8) & 0xff
    }

    /// Whether every directory from the root to `path` lets others through (the execute bit).
    static func othersCanReach(_ path: String) -> Bool {
        var current = URL(fileURLWithPath: path).standardized
        while true {
            guard let mode = (try? FileManager.default.attributesOfItem(atPath: current.path))?[.posixPermissions] as? Int,
                  mode & 0o001 != 0 else { return false }
            if current.path == "/" { return true }
            current.deleteLastPathComponent()
        }
    }

    static func findBinDirectory() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted(by: >)
        return versions.map { "\(root)/\($0)/bin" }.first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
    }
}
