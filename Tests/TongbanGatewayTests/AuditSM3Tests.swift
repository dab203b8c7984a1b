import Foundation
import Testing
import TongbanClient
import TongbanCore
import TongbanTestKit

/// A province switches its audit chain to SM3 (`audit.hash: sm3`) with a reload while it serves: the entries after
/// the switch are SM3 entries chained to the SHA-256 ones before, and `tongbanctl audit verify` checks both segments.
@Suite struct AuditSM3Tests {
    @Test func aReloadSwitchesTheChainToSM3WithoutBreakingIt() async throws {
        let f = try await ExchangeTests.Federation.start()
        defer { f.federation.remove() }
        let shanghai = f.federation["31"]
        #expect(try await f.query(TestCatalogue.household, "medical-registration", [ExchangeTests.person]).status == 200)
        let config = try String(contentsOfFile: shanghai.configPath, encoding: .utf8)
        try (config + "\naudit:\n  hash: sm3\n").write(toFile: shanghai.configPath, atomically: true, encoding: .utf8)
        let reload = try Spawn.capture(BuiltProducts.tongbanctl, ["reload", "--socket", shanghai.adminSocket])
        #expect(reload.status == 0 && reload.output.contains("audit.hash sha256 → sm3"), "\(reload.output)")
        #expect(try await f.query(TestCatalogue.household, "medical-registration", [ExchangeTests.person]).status == 200)

        let entries = try await f.sh.get("/v1/audit", as: [AuditEntry].self)
        let last = try #require(entries.last)
        #expect(last.hashAlgorithm == "sm3" && last.direction == .inbound, "\(last)")
        #expect(entries.first?.hashAlgorithm == nil)
        let verified = try Spawn.capture(BuiltProducts.tongbanctl, ["audit", "verify", "--socket", shanghai.adminSocket])
        #expect(verified.status == 0 && verified.output.contains("segments: sha256 1–") && verified.output.contains("sm3 \(last.sequence)–\(last.sequence)"),
                "\(verified.output)")
        // 北京 was not switched: its outbound record stays SHA-256.
        #expect(try await f.bj.get("/v1/audit?last=1", as: [AuditEntry].self).last?.hashAlgorithm == nil)
        // An unknown algorithm is refused by the reload, which changes nothing.
        try (config + "\naudit:\n  hash: sha3\n").write(toFile: shanghai.configPath, atomically: true, encoding: .utf8)
        let refused = try Spawn.capture(BuiltProducts.tongbanctl, ["reload", "--socket", shanghai.adminSocket])
        #expect(refused.status != 0 && refused.output.contains("audit.hash") && refused.output.contains("sha3"), "\(refused.output)")
        #expect(try await f.query(TestCatalogue.household, "medical-registration", [ExchangeTests.person]).status == 200)
        #expect(try await f.sh.get("/v1/audit?last=1", as: [AuditEntry].self).last?.hashAlgorithm == "sm3")
        await f.stop()
    }
}
