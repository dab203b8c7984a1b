import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import Testing
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanPKI
import TongbanTestKit

/// Live reload (SIGHUP and `tongbanctl reload`): new certificates, keys and configuration take effect while
/// requests keep flowing on open connections; an invalid configuration is refused whole.
@Suite(.serialized) struct ReloadTests {
    /// Renews `31`'s TLS and signing certificates with new keys and reloads it with SIGHUP, while two streams
    /// of requests run: signed pings from a peer client with open keep-alive connections, and queries through
    /// `11`'s gateway. Neither may see an error; afterwards new handshakes and signatures use the new keys.
    @Test func renewedCertificatesAndKeysTakeEffectUnderLoadWithoutErrors() async throws {
        let f = try await ExchangeTests.Federation.start()
        defer { f.federation.remove() }
        let shanghai = f.federation["31"]
        let peer = GatewayConfiguration.Peer(code: try ProvinceCode("31"), name: "上海", url: shanghai.peerURL)
        let client = try TLSClients.peerClient(as: f.federation["11"], federation: f.federation)
        let oldTLS = try PEMFile.readCertificate(shanghai.pki + "/tls.crt").sha256Fingerprint
        let oldSigning = try PEMFile.readCertificate(shanghai.pki + "/signing.crt").sha256Fingerprint
        #expect(try await client.tlsCertificate(of: peer).sha256Fingerprint == oldTLS)

        let flow = Flow()
        let pings = Task {
            while !flow.stop.load(ordering: .relaxed) {
                do {
                    let answer = try await client.request(peer, method: .POST, path: "/v1/ping", json: Data("{}".utf8))
                    if answer.status == 200 { flow.counts.withLock { $0.pings += 1 } } else { flow.failures.withLock { $0.append("ping \(answer.status)") } }
                } catch { flow.failures.withLock { $0.append("ping: \(error)") } }
            }
        }
        let queries = Task {
            while !flow.stop.load(ordering: .relaxed) {
                do {
                    let answer = try await f.query(TestCatalogue.household, "medical-registration", [ExchangeTests.person])
                    if answer.status == 200 { flow.counts.withLock { $0.queries += 1 } } else { flow.failures.withLock { $0.append("query \(answer.status)") } }
                } catch { flow.failures.withLock { $0.append("query: \(error)") } }
            }
        }
        try await Task.sleep(for: .milliseconds(500))
        for usage in ["tls", "signing"] {
            let renewed = try Spawn.capture(BuiltProducts.tongbanctl, ["pki", "renew", "--ca", f.federation.caDirectory, "--new-key",
                                                                       "--cert", shanghai.pki + "/\(usage).crt", "--key", shanghai.pki + "/\(usage).key"])
            #expect(renewed.status == 0, "\(renewed.output)")
        }
        // The renewed signing key joins the manifest beside the old one (a rotation), and both gateways learn it
        // before 31 signs with it: the authority's step, then one refresh each.
        let renewedSigning = try PEMFile.readCertificate(shanghai.pki + "/signing.crt")
        let renewedTLS = try PEMFile.readCertificate(shanghai.pki + "/tls.crt")
        try f.federation.updateManifest { manifest in
            let index = try #require(manifest.members.firstIndex { $0.province == "31" })
            manifest.members[index].signingKeys.append(try MemberSigningKey(certificate: renewedSigning))
            manifest.members[index].tlsPins.append(TLSPin.of(renewedTLS))
        }
        for code in ["11", "31"] { #expect(try await f.federation.refresh(f.federation[code]).outcome == "applied") }
        let beforeReload = flow.counts.withLock { $0 }
        kill(f.shanghai.pid, SIGHUP)
        var reloaded = false
        for _ in 0..<100 where !reloaded {
            try await Task.sleep(for: .milliseconds(50))
            reloaded = f.shanghai.logText.contains("reloaded")
        }
        #expect(reloaded, "\(f.shanghai.logText)")
        try await Task.sleep(for: .seconds(1))
        flow.stop.store(true, ordering: .relaxed)
        _ = await (pings.value, queries.value)
        let after = flow.counts.withLock { $0 }
        #expect(flow.failures.withLock { $0 }.isEmpty, "\(flow.failures.withLock { $0 })")
        #expect(after.pings > beforeReload.pings && after.queries > beforeReload.queries, "requests kept flowing after the reload: \(beforeReload) → \(after)")

        let newTLS = try PEMFile.readCertificate(shanghai.pki + "/tls.crt").sha256Fingerprint
        let newSigning = try PEMFile.readCertificate(shanghai.pki + "/signing.crt").sha256Fingerprint
        #expect(newTLS != oldTLS && newSigning != oldSigning)
        #expect(try await client.tlsCertificate(of: peer).sha256Fingerprint == newTLS)
        #expect(try await client.verifiedIdentity(of: peer).keyID == newSigning)
        #expect(f.shanghai.logText.contains("tls certificate \(oldTLS.prefix(16)) → \(newTLS.prefix(16))"), "\(f.shanghai.logText)")
        try await client.shutdown()
        await f.stop()
    }

    /// A department added to the file works after `tongbanctl reload`; an invalid file, or one that changes
    /// what cannot change while running, is refused with every problem named and the old configuration stays.
    @Test func reloadAppliesAValidConfigurationAndRefusesAnInvalidOneWhole() async throws {
        let federation = try TestFederation(provinces: ["11", "31"], catalogue: TestCatalogue.exchangeYAML())
        defer { federation.remove() }
        let beijing = federation["11"]
        let daemon = try await RunningDaemon(beijing)
        let token = "reload-test-token-0123456789abcdef"
        let hash = SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        func catalogues() async throws -> Int {
            var request = HTTPClientRequest(url: beijing.localURL + "/local/v1/catalogues")
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            return Int(try await http.execute(request, timeout: .seconds(10)).status.code)
        }
        func reload() throws -> (status: Int32, output: String) {
            try Spawn.capture(BuiltProducts.tongbanctl, ["reload", "--socket", beijing.adminSocket])
        }
        #expect(try await catalogues() == 401)
        let original = try String(contentsOfFile: beijing.configPath, encoding: .utf8)
        let withDepartment = original + "departments:\n  - code: \"11010500\"\n    name: 朝阳区公安分局\n    tokenSHA256: \(hash)\n"
            + "limits:\n  peerRequestsPerSecond: 50\n"
        try withDepartment.write(toFile: beijing.configPath, atomically: true, encoding: .utf8)
        let applied = try reload()
        #expect(applied.status == 0, "\(applied.output)")
        #expect(applied.output.contains("departments (0 → 1)") && applied.output.contains("peer admission limits"), "\(applied.output)")
        #expect(try await catalogues() == 200)

        // Invalid: an unknown key and a bad value. Refused, both named with their lines; the department stays.
        try (withDepartment + "  peerBurst: 0\nbogus: 1\n").write(toFile: beijing.configPath, atomically: true, encoding: .utf8)
        let invalid = try reload()
        #expect(invalid.status == 1)
        #expect(invalid.output.contains("bogus") && invalid.output.contains("limits.peerBurst"), "\(invalid.output)")
        #expect(invalid.output.contains("line "), "\(invalid.output)")
        #expect(invalid.output.contains("the previous configuration stays in force"))
        #expect(try await catalogues() == 200)

        // A listener port cannot move while running.
        try withDepartment.replacingOccurrences(of: "port: \(beijing.localPort)", with: "port: \(beijing.localPort + 1)")
            .write(toFile: beijing.configPath, atomically: true, encoding: .utf8)
        let moved = try reload()
        #expect(moved.status == 1 && moved.output.contains("listen.local cannot change while the daemon runs"), "\(moved.output)")

        // Removing the department again revokes its token at once.
        try original.write(toFile: beijing.configPath, atomically: true, encoding: .utf8)
        #expect(try reload().status == 0)
        #expect(try await catalogues() == 401)
        #expect(daemon.logText.contains("reload refused"))
        try await http.shutdown()
        #expect(await daemon.stop() == 0)
    }

    /// A certificate renewed for only ten days is warned about after the reload: in `tongbanctl status`, in
    /// the log, and in the expiry metric.
    @Test func certificatesCloseToExpiryAreWarnedAbout() async throws {
        let federation = try TestFederation(provinces: ["11"])
        defer { federation.remove() }
        let beijing = federation["11"]
        let daemon = try await RunningDaemon(beijing)
        let quiet = try Spawn.capture(BuiltProducts.tongbanctl, ["status", "--socket", beijing.adminSocket])
        #expect(quiet.status == 0 && !quiet.output.contains("WARNING"), "\(quiet.output)")
        let renewed = try Spawn.capture(BuiltProducts.tongbanctl, ["pki", "renew", "--ca", federation.caDirectory, "--days", "10",
                                                                   "--cert", beijing.pki + "/tls.crt", "--key", beijing.pki + "/tls.key"])
        #expect(renewed.status == 0, "\(renewed.output)")
        let reload = try Spawn.capture(BuiltProducts.tongbanctl, ["reload", "--socket", beijing.adminSocket])
        #expect(reload.status == 0, "\(reload.output)")
        let status = try Spawn.capture(BuiltProducts.tongbanctl, ["status", "--socket", beijing.adminSocket])
        #expect(status.output.contains("WARNING: own tls certificate") && (status.output.contains("expires in 9 day(s)") || status.output.contains("expires in 10 day(s)")), "\(status.output)")
        #expect(daemon.logText.contains("certificate expiry: own tls certificate"), "\(daemon.logText)")
        let expiry = try await MetricsTests.scrape(beijing.localURL, in: federation.directory)
            .value("tongban_certificate_expiry_timestamp_seconds", ["owner": "own", "usage": "tls"]) ?? 0
        #expect(abs(expiry - Date().addingTimeInterval(10 * 86_400).timeIntervalSince1970) < 600)
        #expect(await daemon.stop() == 0)
    }
}

/// What the request streams of a reload test share.
final class Flow: Sendable {
    let stop = Atomic<Bool>(false)
    let failures = Mutex<[String]>([])
    let counts = Mutex((pings: 0, queries: 0))
}
