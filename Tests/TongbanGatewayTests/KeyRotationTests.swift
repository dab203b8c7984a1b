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

    /// P-256 to P-256 (a new certificate), and P-256 to SM2 (the national algorithms: a key without a certificate).
    @Test(arguments: [SigningKeyType.p256, .sm2])
    func aRotationWithOverlapFailsNoExchange(to next: SigningKeyType) async throws {
        var nextKid = ""
        var nextEntry: @Sendable (Date) throws -> MemberSigningKey = { _ in throw DaemonFailure("no next key was issued") }
        let f = try await ExchangeTests.Federation.start { federation in
            let beijing = federation["11"]
            let directory = federation.directory.path + "/11-next"
            let credentials = try ProvinceCredentials.issue(by: federation.ca, province: try ProvinceCode("11"), dnsNames: ["localhost"],
                                                            ipAddresses: ["127.0.0.1"], signingKeyType: next)
            try credentials.write(to: directory)
            try FileManager.default.copyItem(atPath: directory + "/signing.key", toPath: beijing.pki + "/signing-next.key")
            var line = "  next: {key: pki/signing-next.key}\n"
            if credentials.signingCertificate != nil {
                try FileManager.default.copyItem(atPath: directory + "/signing.crt", toPath: beijing.pki + "/signing-next.crt")
                line = "  next: {certificate: pki/signing-next.crt, key: pki/signing-next.key}\n"
            }
            let config = try String(contentsOfFile: beijing.configPath, encoding: .utf8).replacingOccurrences(
                of: "  key: pki/signing.key\n", with: "  key: pki/signing.key\n" + line)
            try config.write(toFile: beijing.configPath, atomically: true, encoding: .utf8)
            nextKid = credentials.signing.keyID
            let signing = credentials.signing
            nextEntry = { switchAt in try signing.manifestKey(notBefore: switchAt) }
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
        let entry = try nextEntry(switchAt)
        try f.federation.updateManifest { manifest in
            let index = try #require(manifest.members.firstIndex { $0.province == "11" })
            manifest.members[index].signingKeys.append(entry)
        }
        for code in ["31", "11"] { #expect(try await f.federation.refresh(f.federation[code]).outcome == "applied") }
        #expect(before.last?.requestSignature.contains("keyid=\"\(oldKid)\"") == true, "\(before.last?.requestSignature ?? "")")
        while Date() < switchAt.addingTimeInterval(2) { try await Task.sleep(for: .milliseconds(200)) }
        tally.running.store(false, ordering: .relaxed)
        await stream.value
        let after = try await f.sh.get("/v1/audit?last=1", as: [AuditEntry].self)
        #expect(after.last?.requestSignature.contains("keyid=\"\(nextKid)\"") == true, "11 did not switch keys: \(after.last?.requestSignature ?? "")")
        let algorithm = next == .sm2 ? "sm2-sm3" : "ecdsa-p256-sha256"
        #expect(after.last?.requestSignature.contains("alg=\"\(algorithm)\"") == true, "\(after.last?.requestSignature ?? "")")
        let counts = tally.counts.withLock { $0 }
        print("rotation to \(next.rawValue) under a stream: \(counts.ok) exchanges answered 200, \(counts.failed.count) failed")
        #expect(counts.failed.isEmpty, "\(counts.failed.prefix(5))")
        #expect(counts.ok > 5)
        #expect(try await f.sh.get("/v1/audit/verify", as: AuditVerification.self).ok)
        await f.stop()
    }
}
