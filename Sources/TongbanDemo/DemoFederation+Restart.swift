import Foundation
import TongbanClient
import TongbanCore

extension DemoFederation {
    /// Starts one province's daemon with its configuration, writing its pid file; the daemon's own
    /// environment variables of the caller (systemd's, `TONGBAN_*`) are not passed on.
    static func spawn(tongband: String, config: String, launcher: [String], log: String, home: String) throws -> Int32 {
        var environment = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("TONGBAN_") && $0.key != "NOTIFY_SOCKET" && !$0.key.hasPrefix("WATCHDOG_") && $0.key != "JOURNAL_STREAM"
        }
        environment["TONGBAN_CONFIG"] = config
        let command = launcher + [tongband, "--config", config]
        let pid = try DaemonProcess.spawn(executable: command[0], arguments: Array(command.dropFirst()), log: log, environment: environment)
        try "\(pid)\n".write(toFile: home + "/tongband.pid", atomically: true, encoding: .utf8)
        return pid
    }

    /// Stops province `code`'s daemon (SIGTERM, its drain) and starts `tongband` in its place on the same
    /// configuration and state, waiting until it is ready; returns the document with the new pid. The
    /// benchmark's `--compare` runs two builds on one seeded store this way.
    public func restart(_ code: ProvinceCode, tongband: String, launcher: [String] = [],
                        readyTimeout: Duration = .seconds(60)) async throws -> FederationDocument {
        var document = try load()
        guard let index = document.provinces.firstIndex(where: { $0.code == code.rawValue }) else {
            throw DemoError("province \(code) is not in the federation at \(directory)")
        }
        let province = document.provinces[index]
        _ = await DaemonProcess.stop(province.pid)
        let home = URL(fileURLWithPath: province.config).deletingLastPathComponent().path
        let pid = try Self.spawn(tongband: tongband, config: province.config, launcher: launcher, log: province.log, home: home)
        document.provinces[index].pid = pid
        try write(document)
        let deadline = ContinuousClock.now + readyTimeout
        while true {
            guard DaemonProcess.isRunning(pid) else { throw DemoError("tongband for province \(code) exited during start-up; see \(province.log)") }
            if let status = try? await AdminClient(socketPath: province.adminSocket).get("/v1/status", as: StatusDocument.self, timeoutSeconds: 2),
               status.ready { return document }
            if ContinuousClock.now > deadline { throw DemoError("tongband for province \(code) was not ready within \(readyTimeout); see \(province.log)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
