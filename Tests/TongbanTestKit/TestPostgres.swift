import Foundation
import TongbanCore
import TongbanDemo

/// The tests' PostgreSQL: one private cluster (`LocalPostgres`) per test process, in a fresh directory under /tmp,
/// started by the first test that needs it and stopped when the process exits. Each test takes a database of
/// its own (`makeDatabase`).
public enum TestPostgres {
    public static func shared() throws -> LocalPostgres { try started.get() }

    private static let started = Result { () throws -> LocalPostgres in
        var template = Array("/tmp/tbpg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw DaemonFailure("cannot make a directory for PostgreSQL") }
        let cluster = try LocalPostgres.start(in: String(cString: made))
        TestPostgresRegistry.running = cluster
        atexit { TestPostgresRegistry.stopAtExit() }
        return cluster
    }

    /// The database name of a `store.url` made by `makeDatabase`.
    public static func database(of url: String) -> String {
        String(url.split(separator: "/").last?.split(separator: "?").first ?? "")
    }
}

/// What the exit handler needs (a C function pointer captures nothing).
enum TestPostgresRegistry {
    nonisolated(unsafe) static var running: LocalPostgres?

    static func stopAtExit() {
        guard let running else { return }
        running.stop()
        try? FileManager.default.removeItem(atPath: running.directory)
    }
}
