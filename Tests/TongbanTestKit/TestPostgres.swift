import Foundation
import TongbanClient

/// A private PostgreSQL cluster for the tests (Debian's `postgresql` package, which `make deps` installs): made
/// with `initdb` in a fresh directory under /tmp, listening on a free loopback port with password (SCRAM)
/// authentication, started once per test process and stopped when it exits. Each test takes a database of its own
/// (`makeDatabase`). As root (CI), the server runs as the `postgres` user, since PostgreSQL refuses to run as root.
public final class TestPostgres: Sendable {
    public let directory: String
    public let port: Int
    public let binDirectory: String
    public let user = "tongban"
    public let password: String

    /// The cluster of this test process; the first call starts it.
    public static func shared() throws -> TestPostgres { try started.get() }
    private static let started = Result { try TestPostgres() }

    private init() throws {
        guard let bin = Self.findBinDirectory() else {
            throw DaemonFailure("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run make deps, or apt-get install postgresql")
        }
        binDirectory = bin
        var template = Array("/tmp/tbpg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw DaemonFailure("cannot make a directory for PostgreSQL") }
        directory = String(cString: made)
        port = try DaemonProcess.freePort()
        password = "pw-" + UUID().uuidString.lowercased()
        try password.write(toFile: directory + "/pwfile", atomically: true, encoding: .utf8)
        if getuid() == 0 {
            _ = try Spawn.capture("/bin/chown", ["-R", "postgres:postgres", directory])
        }
        let initdb = try run(bin + "/initdb", ["-D", directory + "/data", "-U", user, "--pwfile=" + directory + "/pwfile",
                                              "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--locale=C.UTF-8"])
        guard initdb.status == 0 else { throw DaemonFailure("initdb failed:\n\(initdb.output)") }
        let options = "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on -c synchronous_commit=on"
        // Not through a pipe: the server would inherit its end and the read would never see the end of it.
        let status = try start(bin + "/pg_ctl", ["-D", directory + "/data", "-o", options, "-l", directory + "/server.log", "-w", "-t", "60", "start"],
                               output: directory + "/pg_ctl.log")
        guard status == 0 else {
            let output = (try? String(contentsOfFile: directory + "/pg_ctl.log", encoding: .utf8)) ?? ""
            throw DaemonFailure("PostgreSQL did not start:\n\(output)\n\((try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? "")")
        }
        TestPostgresRegistry.running = directory + "/data|" + bin
        atexit { TestPostgresRegistry.stopAtExit() }
    }

    /// Runs a PostgreSQL program as the cluster's owner.
    @discardableResult
    func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        if getuid() == 0 { return try Spawn.capture("/usr/sbin/runuser", ["-u", "postgres", "--", program] + arguments) }
        return try Spawn.capture(program, arguments)
    }

    /// Runs a program that leaves a process behind (pg_ctl start), its output to a file; returns its exit status.
    /// Spawned with every other descriptor closed: the server it starts must hold no pipe of this process's.
    func start(_ program: String, _ arguments: [String], output: String) throws -> Int32 {
        let pid = try DaemonProcess.spawn(executable: getuid() == 0 ? "/usr/sbin/runuser" : program,
                                          arguments: getuid() == 0 ? ["-u", "postgres", "--", program] + arguments : arguments,
                                          log: output, environment: ProcessInfo.processInfo.environment, newSession: true, defaultSignals: true)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status >> 8) & 0xff
    }

    /// A new, empty database; returns its `store.url`.
    public func makeDatabase(_ prefix: String = "t") throws -> String {
        let name = prefix + "_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        try sql("CREATE DATABASE \(name)")
        return url(database: String(name))
    }

    public func url(database: String) -> String {
        "postgresql://\(user):\(password)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// Runs `statement` with psql (on the Unix socket) and returns what it printed, unaligned and without headers.
    @discardableResult
    public func sql(_ statement: String, database: String = "postgres") throws -> String {
        let result = try run(binDirectory + "/psql", ["-h", directory, "-p", String(port), "-U", user, "-d", database, "-v", "ON_ERROR_STOP=1",
                                                      "-A", "-t", "-c", statement])
        guard result.status == 0 else { throw DaemonFailure("psql failed on \(statement):\n\(result.output)") }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The database name of a `store.url` made by `makeDatabase`.
    public static func database(of url: String) -> String {
        String(url.split(separator: "/").last?.split(separator: "?").first ?? "")
    }

    static func findBinDirectory() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted(by: >)
        return versions.map { "\(root)/\($0)/bin" }.first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
    }
}

/// What the exit handler needs (a C function pointer captures nothing).
enum TestPostgresRegistry {
    nonisolated(unsafe) static var running: String?

    static func stopAtExit() {
        guard let running else { return }
        let parts = running.split(separator: "|").map(String.init)
        let arguments = ["-D", parts[0], "-m", "immediate", "-w", "stop"]
        if getuid() == 0 {
            _ = try? Spawn.capture("/usr/sbin/runuser", ["-u", "postgres", "--", parts[1] + "/pg_ctl"] + arguments)
        } else {
            _ = try? Spawn.capture(parts[1] + "/pg_ctl", arguments)
        }
        try? FileManager.default.removeItem(atPath: (parts[0] as NSString).deletingLastPathComponent)
    }
}
