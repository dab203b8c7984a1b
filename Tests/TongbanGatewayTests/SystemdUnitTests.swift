import Foundation
import Testing
import TongbanTestKit

/// The shipped unit must pass `systemd-analyze verify` and score an exposure of 2.0 or less offline.
@Suite struct SystemdUnitTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func unitVerifiesAndIsHardened() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let unit = try String(contentsOf: Self.repository.appendingPathComponent("systemd/tongband.service"), encoding: .utf8)
        #expect(unit.contains("Type=notify"))
        #expect(unit.contains("ExecReload=/bin/kill -HUP $MAINPID"))
        #expect(unit.contains("User=tongban"))
        let path = directory.file("tongband.service")
        try unit.replacingOccurrences(of: "/usr/local/bin/", with: BuiltProducts.directory + "/")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let verify = try Spawn.capture("/usr/bin/systemd-analyze", ["verify", path])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(!verify.output.contains("tongband.service:"), "verify warned: \(verify.output)")
        let security = try Spawn.capture("/usr/bin/systemd-analyze", ["security", "--offline=yes", path])
        let line = try #require(security.output.split(separator: "\n").last { $0.contains("Overall exposure level") })
        let score = try #require(Double(line.split(separator: ":").last!.trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? ""))
        #expect(score <= 2.0, "\(line)")
    }

    @Test func sysusersAndTmpfilesDeclareTheServiceUser() throws {
        let sysusers = try String(contentsOf: Self.repository.appendingPathComponent("systemd/tongban.sysusers"), encoding: .utf8)
        #expect(sysusers.contains("u tongban"))
        let tmpfiles = try String(contentsOf: Self.repository.appendingPathComponent("systemd/tongban.tmpfiles"), encoding: .utf8)
        #expect(tmpfiles.contains("/var/lib/tongban      0750 tongban tongban"))
    }
}
