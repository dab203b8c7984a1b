import Foundation
import Synchronization
import Testing
import TongbanClient
import TongbanCore
import TongbanPKI
import TongbanTestKit

/// A signing key rotated the way docs/operations.md describes: the next key is configured beside the current one
/// (`signing.next`), the authority adds it to the manifest with a `notBefore` a few seconds ahead, and at that time
/// the province starts signing with it — while a stream of exchanges runs, none of which fails.
@Suite struct KeyRotationTests {
    final class Tally: Sendable {
        let running = Atomic<Bool>(true)
        let counts = Mutex((ok: 0, failed: [String]()))
    }

    @Test func aRotationWithOverlapFailsNoExchange() async throws {
        var nextKid = ""
        let f = try await ExchangeTests.Federation.start { federation in
            let beijing = federation["11"]
            let next = federation.directory.path + "/11-next"
            try ProvinceCredentials.issue(by: federation.ca, province: try ProvinceCode("11"), dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"])
                .write(to: next)
            try FileManager.default.copyItem(atPath: next + "/signing.crt", toPath: beijing.pki + "/signing-next.crt")
            try FileManager.default.copyItem(atPath: next + "/signing.key", toPath: beijing.pki + "/signing-next.key")
            let config = try String(contentsOfFile: beijing.configPath, encoding: .utf8).replacingOccurrences(
                of: "  key: pki/signing.key\n", with: "  key: pki/signing.key\n  next: {certificate: pki/signing-next.crt, key: pki/signing-next.key}\n")
            try config.write(toFile: beijing.configPath, atomically: true, encoding: .utf8)
            nextKid = try PEMFile.readCertificate(beijing.pki + "/signing-next.crt").sha256Fingerprint
        }
        defer { f.federation.remove() }
        let oldKid = try PEMFile.readCertificate(f.federation["11"].pki + "/signing.crt").sha256Fingerprint
        let tally = Tally()
        let stream = Task {
            while tally.running.load(ordering: .relaxed) {
                do {
                    let result = try await f.query(TestCatalogue.household, "medical-registration", [ExchangeTests.person])
                    tally.counts.withLock { if result.status == 200 { $0.ok += 1 } else { $0.failed.append("\(result.status) \(result.answer)") } }
                } catch { tally.counts.withLock { $0.failed.append("\(error)") } }
                // A steady stream, not a flood: the suite's timing tests run beside it on two cores.
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        var before: [AuditEntry] = []
        for _ in 0..<50 where before.isEmpty {
            try await Task.sleep(for: .milliseconds(200))
            before = try await f.sh.get("/v1/audit?last=1", as: [AuditEntry].self)
        }
        // The authority adds the next key, in force 3 s from now and overlapping the current one; both gateways
        // learn it at their refresh. 11 holds the key already (`signing.next`) and switches at that time.
        let switchAt = Date().addingTimeInterval(3)
        let certificate = try PEMFile.readCertificate(f.federation["11"].pki + "/signing-next.crt")
        try f.federation.updateManifest { manifest in
            let index = try #require(manifest.members.firstIndex { $0.province == "11" })
            manifest.members[index].signingKeys.append(try MemberSigningKey(certificate: certificate, notBefore: switchAt))
        }
        for code in ["31", "11"] { #expect(try await f.federation.refresh(f.federation[code]).outcome == "applied") }
        #expect(before.last?.requestSignature.contains("keyid=\"\(oldKid)\"") == true, "\(before.last?.requestSignature ?? "")")
        while Date() < switchAt.addingTimeInterval(2) { try await Task.sleep(for: .milliseconds(200)) }
        tally.running.store(false, ordering: .relaxed)
        await stream.value
        let after = try await f.sh.get("/v1/audit?last=1", as: [AuditEntry].self)
        #expect(after.last?.requestSignature.contains("keyid=\"\(nextKid)\"") == true, "11 did not switch keys: \(after.last?.requestSignature ?? "")")
        let counts = tally.counts.withLock { $0 }
        print("rotation under a stream: \(counts.ok) exchanges answered 200, \(counts.failed.count) failed")
        #expect(counts.failed.isEmpty, "\(counts.failed.prefix(5))")
        #expect(counts.ok > 5)
        #expect(try await f.sh.get("/v1/audit/verify", as: AuditVerification.self).ok)
        await f.stop()
    }
}
