import Foundation
import TongbanClient
import TongbanCore

/// A real `tongband` process started from the built binary, with its output captured to a log file.
public final class RunningDaemon: @unchecked Sendable {
    public let pid: pid_t
    public let log: String
    public let member: TestFederation.Member
    private var exitStatus: Int32?

    /// Starts `tongband --config` for `member` and waits until its admin socket reports ready.
    public init(_ member: TestFederation.Member, environment extra: [String: String] = [:], waitReady: Bool = true) async throws {
        self.member = member
        self.log = member.home + "/tongband.log"
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TONGBAN_") && $0.key != "NOTIFY_SOCKET" && $0.key != "JOURNAL_STREAM" }
        environment.merge(extra) { $1 }
        pid = try DaemonProcess.spawn(executable: BuiltProducts.tongband, arguments: ["--config", member.configPath], log: log,
                                    environment: environment, newSession: false)
        if waitReady { try await self.waitReady() }
    }

    public func waitReady(timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard isRunning else { throw DaemonFailure("tongband exited during start-up:\n\(logText)") }
            if let status = try? await AdminClient(socketPath: member.adminSocket).get("/v1/status", as: StatusDocument.self, timeoutSeconds: 2),
               status.ready { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw DaemonFailure("tongband not ready within \(timeout):\n\(logText)")
    }

    public var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    public var isRunning: Bool {
        if exitStatus != nil { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            exitStatus = status
            return false
        }
        return true
    }

    /// Sends `signal` and waits for exit; returns the exit code (or 128+signal when killed by one).
    @discardableResult
    public func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(15)) async -> Int32? {
        if isRunning { kill(pid, signal) }
        let deadline = ContinuousClock.now + timeout
        while isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if isRunning {
            reportHang(after: timeout, signal: signal)
            kill(pid, SIGKILL)
            while isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        }
        guard let status = exitStatus else { return nil }
        let signalled = status & 0x7f
        return signalled == 0 ? (status >> 8) & 0xff : 128 + signalled
    }

    /// A daemon that did not stop is a bug to find, not only a failed expectation: print the end of its log and,
    /// where gdb is installed, every thread's stack, so the test output says where it was stuck.
    private func reportHang(after timeout: Duration, signal: Int32) {
        var report = "tongband \(pid) (\(member.code)) did not exit within \(timeout) of signal \(signal); the end of its log:\n"
        report += logText.split(separator: "\n", omittingEmptySubsequences: false).suffix(40).joined(separator: "\n")
        let gdb = "/usr/bin/gdb"
        if FileManager.default.isExecutableFile(atPath: gdb),
           let stacks = try? Spawn.capture(gdb, ["-p", String(pid), "-batch", "-ex", "thread apply all bt 30"]) {
            let frames = stacks.output.split(separator: "\n").filter { $0.hasPrefix("Thread ") || $0.hasPrefix("#") }
            report += "\nits threads (gdb):\n" + frames.joined(separator: "\n")
        }
        print(report)
    }

    deinit {
        if exitStatus == nil { kill(pid, SIGKILL); var s: Int32 = 0; waitpid(pid, &s, 0) }
    }
}

public struct DaemonFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Running commands as an operator would, capturing what they print.
public enum Spawn {
    /// Runs a command to completion; returns exit code and combined output.
    public static func capture(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
