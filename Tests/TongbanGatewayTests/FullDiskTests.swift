import Foundation
import Testing
import TongbanClient
import TongbanCore
import TongbanTestKit

/// The answering province's state directory on a real, small filesystem (a tmpfs with a size, mounted by the test)
/// that fills up: exchanges are refused with 503 `tongban.audit.unavailable` and none is served unaudited; an import
/// fails with a clear error and changes nothing; once space is freed the gateway serves again without a restart.
/// Mounting needs root: elsewhere the test is skipped, and says so.
@Suite(.serialized) struct FullDiskTests {
    static let canMount: Bool = {
        guard geteuid() == 0 else { return false }
        let probe = NSTemporaryDirectory() + "tb-mount-probe-\(getpid())"
        try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: probe) }
        guard (try? Spawn.capture("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", probe]))?.status == 0 else { return false }
        _ = try? Spawn.capture("/usr/bin/umount", [probe])
        return true
    }()

    /// Writes zeros into `path` until the filesystem refuses (ENOSPC); returns the bytes written.
    static func fill(_ path: String) -> Int {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var total = 0
        while true {
            let written = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written <= 0 { break }
            total += written
        }
        return total
    }

    @Test(.enabled(if: canMount, "needs root to mount a size-limited tmpfs; skipped"))
    func aFullDiskRefusesExchangesAndImportsAndRecoversWhenSpaceIsFreed() async throws {
        var mountPoint = ""
        let f = try await ExchangeTests.Federation.start(prepare: { federation in
            mountPoint = federation["31"].home + "/state"
            try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
            let mounted = try Spawn.capture("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=24m,mode=0750", "tmpfs", mountPoint])
            #expect(mounted.status == 0, "\(mounted.output)")
        })
        defer {
            _ = try? Spawn.capture("/usr/bin/umount", ["-l", mountPoint])
            f.federation.remove()
        }
        #expect(try await f.query(TestCatalogue.household, "medical-registration", [ExchangeTests.person]).status == 200)

        // Fill the filesystem; then ask until the audit can no longer be written (SQLite reuses its WAL's space for a
        // while after a checkpoint, so the first exchanges may still be audited — and then they are served).
        let filler = mountPoint + "/filler"
        let filled = Self.fill(filler)
        #expect(filled > 0)
        var served = 0, refused = 0, other: [String] = []
        var servedIDs: [String] = []
        for _ in 0..<2000 {
            let result = try await f.query(TestCatalogue.household, "medical-registration", [ExchangeTests.person])
            if result.status == 200 {
                served += 1
                servedIDs.append(result.requestId)
            } else if result.status == 503, ExchangeTests.code(result) == "tongban.audit.unavailable" {
                refused += 1
                if refused >= 20 { break }
            } else {
                other.append("\(result.status) \(ExchangeTests.code(result) ?? "")")
            }
        }
        print("full disk: \(filled / 1024) KiB of filler, then \(served) exchanges served (audited) and \(refused) refused 503 tongban.audit.unavailable")
        #expect(refused >= 20, "the full disk never refused an exchange (\(served) served)")
        #expect(other.isEmpty, "\(other.prefix(5))")

        // An import on the full disk fails with a clear error and changes nothing.
        let newcomer = CitizenID.make(addressCode: "310105", birthDate: "19900101", sequence: 17)
        let csv = "idNumber,name,gender,birthDate,address,county\n\(newcomer),赵六,男,1990-01-01,上海市长宁区1号,310105\n"
        let failedImport = await #expect(throws: TongbanError.self) {
            try await f.sh.post("/v1/import?resource=\(TestCatalogue.household)&format=csv", body: Data(csv.utf8), as: ImportReport.self)
        }
        #expect(failedImport?.code == .storeUnavailable || failedImport?.code == .auditUnavailable, "\(String(describing: failedImport))")
        print("the import on the full disk: \(failedImport?.code.rawValue ?? "-"): \(failedImport?.message ?? "-")")
        #expect(failedImport?.message.lowercased().contains("full") == true, "\(String(describing: failedImport))")

        // Space freed: served again, without a restart; the new record was never stored; every exchange served
        // during the episode has its inbound entry; the chain verifies.
        try FileManager.default.removeItem(atPath: filler)
        let recovered = try await f.query(TestCatalogue.household, "medical-registration", [ExchangeTests.person])
        #expect(recovered.status == 200, "\(recovered.answer)")
        #expect(f.shanghai.isRunning)
        let missing = try await f.query(TestCatalogue.household, "medical-registration", [newcomer])
        #expect(missing.status == 200 && missing.answer["records"] == .array([]), "\(missing.answer)")
        let inbound = try await f.sh.get("/v1/audit?direction=in", as: [AuditEntry].self)
        let audited = Set(inbound.map(\.requestId))
        #expect(servedIDs.allSatisfy(audited.contains), "an exchange served while the disk was full has no inbound entry")
        #expect(try await f.sh.get("/v1/audit/verify", as: AuditVerification.self).ok)
        await f.stop()
    }
}
