import Foundation
import Synchronization
import TongbanCore

/// Starting and stopping `tongband` processes outside systemd (the demo federation, the test kit): each in
/// its own session so a Ctrl-C in the terminal does not reach it, stdin from /dev/null, stdout and stderr
/// appended to a log file, and no other inherited descriptor (a daemon holding its parent's pipe open
/// would keep the parent's reader waiting forever).
public enum DaemonProcess {
    /// - Parameter defaultSignals: start the child with no signal blocked and every signal's default action (a tool such
    ///   as `openssl speed` times itself with SIGALRM, which a Swift process's threads keep blocked).
    public static func spawn(executable: String, arguments: [String], log: String, environment: [String: String],
                             newSession: Bool = true, defaultSignals: Bool = false) throws(TongbanError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o640)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        for fd in openDescriptors() where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var flags: Int16 = newSession ? 0x80 : 0  // POSIX_SPAWN_SETSID (the macro needs _GNU_SOURCE)
        var none = sigset_t(), all = sigset_t()
        if defaultSignals {
            sigemptyset(&none)
            sigfillset(&all)
            posix_spawnattr_setsigmask(&attributes, &none)
            posix_spawnattr_setsigdefault(&attributes, &all)
            flags |= 0x08 | 0x04  // POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        }
        posix_spawnattr_setflags(&attributes, flags)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw TongbanError(.internalError, "cannot start \(executable): \(String(cString: strerror(result)))") }
        return pid
    }

    /// The descriptors open in this process right now (from /proc/self/fd).
    static func openDescriptors() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return names.compactMap { Int32($0) }.filter { fcntl($0, F_GETFD) != -1 }
    }

    public static func isRunning(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { return false }  // our child and it has exited
        return kill(pid, 0) == 0
    }

    /// SIGTERM, then up to `grace` for it to exit, then SIGKILL. True when it exited on SIGTERM.
    @discardableResult
    public static func stop(_ pid: pid_t, grace: Duration = .seconds(10)) async -> Bool {
        guard isRunning(pid) else { return true }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline {
            if !isRunning(pid) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        kill(pid, SIGKILL)
        return false
    }

    /// The directory of the running executable, where `tongband` sits beside `tongbanctl`.
    public static var executableDirectory: String {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    /// A TCP port on 127.0.0.1 that is free right now, chosen below Linux's ephemeral range (32768–60999) so
    /// that no outgoing connection can take it before the daemon binds it, and never one this process handed out
    /// before (a port handed out is often bound only later, by a daemon started afterwards: a test's hub once got the
    /// port its federation had given a listener that was not yet bound).
    public static func freePort() throws(TongbanError) -> Int {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let candidate = Int.random(in: 20_000..<32_768, using: &generator)
            guard handedOut.withLock({ !$0.contains(candidate) }), canBind(candidate) else { continue }
            if handedOut.withLock({ $0.insert(candidate).inserted }) { return candidate }
        }
        throw TongbanError(.internalError, "no free loopback port between 20000 and 32767")
    }

    private static let handedOut = Mutex<Set<Int>>([])

    static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        return withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } } == 0
    }
}
