import Foundation
import Testing
import TongbanClient
import TongbanCore
import TongbanPKI
import TongbanTestKit

/// The manifest's edges found in review: a start never goes below the last good copy's serial, and a gateway
/// without a signing key in force calls no one.
@Suite struct FederationEdgeTests {
    /// A restart with an older (but unexpired) manifest at `federation.file` stays on the serial it last applied:
    /// going back would undo a suspension or a revocation.
    @Test func aRestartNeverGoesBelowTheLastGoodCopy() async throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        let serialOne = try String(contentsOfFile: federation.manifestPath, encoding: .utf8)
        try federation.updateManifest { manifest in manifest.members[1].status = .suspended }
        var beijing = try await RunningDaemon(federation["11"])
        #expect(try await FederationRefreshTests.status(federation["11"]).serial == 2)
        #expect(await beijing.stop() == 0)
        try serialOne.write(toFile: federation.manifestPath, atomically: true, encoding: .utf8)
        beijing = try await RunningDaemon(federation["11"])
        let status = try await FederationRefreshTests.status(federation["11"])
        #expect(status.serial == 2 && status.source.hasPrefix("disk ") && status.suspended == ["31"], "\(status)")
        #expect(await beijing.stop() == 0)
    }

    /// When the authority revokes a province's only signing key, its gateway refuses its own callers with
    /// `tongban.signing.unavailable` and sends nothing, rather than sending requests every peer refuses.
    @Test func withoutASigningKeyInForceNothingIsSent() async throws {
        let f = try await ExchangeTests.Federation.start()
        defer { f.federation.remove() }
        #expect(try await f.query(TestCatalogue.household, "medical-registration", [ExchangeTests.person]).status == 200)
        let kid = try PEMFile.readCertificate(f.federation["11"].pki + "/signing.crt").sha256Fingerprint
        try f.federation.updateManifest { manifest in
            manifest.revocations.append(ManifestRevocation(kind: .key, id: kid, at: Date().addingTimeInterval(-1), reason: "test: key lost"))
        }
        #expect(try await f.federation.refresh(f.federation["11"]).outcome == "applied")
        let before = try await f.sh.get("/v1/audit?last=1", as: [AuditEntry].self).last?.sequence
        await #expect { _ = try await f.query(TestCatalogue.household, "medical-registration", [ExchangeTests.person]) } throws: {
            ($0 as? TongbanError)?.code == .signingUnavailable
        }
        #expect(try await f.sh.get("/v1/audit?last=1", as: [AuditEntry].self).last?.sequence == before, "31 received a request")
        let status = try await f.bj.get("/v1/status", as: StatusDocument.self)
        #expect(status.warnings.contains { $0.contains("signing keys is in force") }, "\(status.warnings)")
        await f.stop()
    }
}
