import Crypto
import Foundation
import NIOSSL
import Testing
import TongbanClient
import TongbanCore
import TongbanPKI
import TongbanSigning
import TongbanTestKit

/// Generated hostile requests (issue 32, item 1) over real mutual TLS to a real gateway: mutations of every signed
/// component, structured-field syntax, repeated and folded fields, bodies changed under a valid digest or signature,
/// content codings, JSON type confusion, NUL and overlong UTF-8, path, query and method tricks, wrong listeners.
/// Each case knows its verdict; a run prints its cases by class and outcome and fails on any violation (an accepted
/// case that must be refused, a 5xx, no answer, an unsigned or code-less refusal, a control not accepted), on a dead
/// daemon, and on growing open files or resident memory.
///
/// `make test` runs 2,000 cases; `make adversarial` 100,000 (`TONGBAN_ADVERSARIAL_CASES`). The seed is printed;
/// `TONGBAN_ADVERSARIAL_SEED` replays a run, and `TONGBAN_ADVERSARIAL_CASE=N` sends case N alone and prints it;
/// `TONGBAN_ADVERSARIAL_DETAIL=1` prints the outcomes of each mutation, `TONGBAN_ADVERSARIAL_CLASS=C` sends only class C.
@Suite(.serialized) struct AdversarialTests {
    static let environment = ProcessInfo.processInfo.environment
    static var cases: Int { environment["TONGBAN_ADVERSARIAL_CASES"].flatMap(Int.init) ?? 2_000 }
    static var seed: UInt64 { environment["TONGBAN_ADVERSARIAL_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64(Int64.max)) }
    static let token = "department-token-for-adversarial-tests-01"
    /// Resident memory may grow this much past the warm-up figure: the replay cache holds every accepted request id
    /// for the signature window (≈ 70 bytes each), SQLite's page cache fills, the allocator keeps freed pages.
    static let residentAllowance = (fraction: 0.10, kib: 16 * 1024)

    @Test func generatedHostileRequests() async throws {
        let (count, seed) = (Self.cases, Self.seed)
        let hash = SHA256.hash(data: Data(Self.token.utf8)).map { String(format: "%02x", $0) }.joined()
        // Limits far above what the run sends: every case must reach the checks it is about, not a 429.
        let config = "departments:\n  - code: \"11010500\"\n    name: 朝阳区公安分局\n    tokenSHA256: \(hash)\n"
            + "limits:\n  peerRequestsPerSecond: 1000000\n  peerBurst: 1000000\n  concurrentPeerRequests: 100000\n"
        let federation = try TestFederation(provinces: ["11", "31"], catalogue: TestCatalogue.exchangeYAML(), extraConfig: config)
        defer { federation.remove() }
        let (caller, answering) = (federation["11"], federation["31"])
        let daemon = try await RunningDaemon(answering)
        try await AdversarialTests.importPerson(into: answering)

        var runner = try Self.runner(federation: federation, caller: caller, answering: answering, seed: seed)
        runner.only = Self.environment["TONGBAN_ADVERSARIAL_CLASS"].flatMap(HostileClass.init(rawValue:))
        if let only = Self.environment["TONGBAN_ADVERSARIAL_CASE"].flatMap(Int.init) {
            var connections: [HostileTarget: RawConnection] = [:]
            for hostileCase in runner.generator.cases(at: only) {
                let (outcome, reply) = await runner.send(hostileCase, &connections)
                print("case \(only) [\(hostileCase.hostileClass.rawValue)] \(hostileCase.name): verdict \(hostileCase.verdict), got \(outcome)")
                print(hostileCase.printable(limit: 4000))
                if case .response(let response) = reply {
                    print("answer: \(response.status)\n" + response.fields.map { "\($0.name): \($0.value)" }.joined(separator: "\n") + "\n\n"
                          + String(decoding: response.body.prefix(2000), as: UTF8.self))
                }
                #expect(outcome.violation(of: hostileCase.verdict, target: hostileCase.target) == nil)
            }
            for connection in connections.values { await connection.close() }
            #expect(await daemon.stop() == 0)
            return
        }

        print("adversarial: seed \(seed) (TONGBAN_ADVERSARIAL_SEED=\(seed) replays this run), \(count) cases, \(runner.workers) connections")
        let clock = ContinuousClock()
        let started = clock.now
        // A warm-up batch first, so that the figures compared are those of a daemon that has seen every class.
        let warmUp = min(count, max(1_000, count / 20))
        await runner.run(0..<warmUp)
        try await Task.sleep(for: .milliseconds(300))
        let before = try #require(ProcessFootprint.of(daemon.pid))
        await runner.run(warmUp..<count)
        let elapsed = clock.now - started
        // Every connection is closed on this side; the daemon's side closes them as it reads the end, or at its idle
        // timeout (30 s) for one it no longer reads (a CONNECT's: swift-nio stops parsing after it). Wait for that.
        var after = try #require(ProcessFootprint.of(daemon.pid))
        let settling = clock.now
        while after.sockets > before.sockets + 2, clock.now - settling < .seconds(35) {
            try await Task.sleep(for: .milliseconds(500))
            after = try #require(ProcessFootprint.of(daemon.pid))
        }
        let settled = clock.now - settling
        let tally = runner.tally
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        if Self.environment["TONGBAN_ADVERSARIAL_DETAIL"] == "1" { print("\n" + tally.detail()) }
        print("\n" + tally.table())
        print(String(format: "adversarial: %d cases in %.1f s (%.0f/s), seed %llu; must be refused: %d, of them accepted: %d; 5xx: %d; "
                     + "controls accepted: %d of %d; violations: %d", tally.total, seconds, Double(tally.total) / seconds, seed,
                     tally.mustRefuse, tally.mustRefuseAccepted, tally.serverErrors, tally.controls.accepted, tally.controls.sent, tally.violations))
        print("adversarial: daemon after the warm-up (\(warmUp) cases): \(before); at the end: \(after) "
              + "(sockets back within \(settled.components.seconds) s of the last answer)")
        for violation in tally.samples {
            print("VIOLATION case \(violation.hostileCase.index) [\(violation.hostileCase.hostileClass.rawValue)] \(violation.hostileCase.name): "
                  + "\(violation.reason); verdict \(violation.hostileCase.verdict), got \(violation.outcome) — replay with "
                  + "TONGBAN_ADVERSARIAL_SEED=\(seed) TONGBAN_ADVERSARIAL_CASE=\(violation.hostileCase.index)\n"
                  + violation.hostileCase.printable())
        }

        #expect(tally.total >= count)
        #expect(tally.violations == 0, "\(tally.violations) violations (the first are printed above)")
        #expect(tally.mustRefuseAccepted == 0 && tally.serverErrors == 0)
        // The harness can see an acceptance: every control was accepted, and there were some.
        #expect(tally.controls.sent >= count / HostileGenerator.controlEvery && tally.controls.accepted == tally.controls.sent,
                "controls: \(tally.controls)")
        #expect(daemon.isRunning, "the daemon died:\n\(daemon.logText.suffix(3000))")
        // Open files: no more sockets than after the warm-up (2 in flight at most), and no file that was not open then.
        // More handles on the same files are the stores' reader pools growing with load (GRDB opens up to 5 readers per
        // pool as they are asked for), bounded by that.
        #expect(after.sockets <= before.sockets + 2, "sockets grew: \(before) → \(after)")
        #expect(after.paths.subtracting(before.paths).isEmpty, "files opened since the warm-up: \(after.paths.subtracting(before.paths).sorted())")
        #expect(after.openFiles <= before.openFiles + 2 * 5 * 2, "open files grew: \(before) → \(after)")
        let bound = Int(Double(before.residentKiB) * (1 + Self.residentAllowance.fraction)) + Self.residentAllowance.kib
        #expect(after.residentKiB <= bound, "resident memory grew: \(before) → \(after) (bound \(bound) KiB)")
        #expect(await daemon.stop() == 0)
    }

    /// The test person's household record (王小明, `ExchangeTests.person`) imported into `member`'s running gateway.
    static func importPerson(into member: TestFederation.Member) async throws {
        let csv = "idNumber,name,gender,birthDate,address,county\n\(ExchangeTests.person),王小明,男,1980-05-12,上海市黄浦区南京东路1号,310101\n"
        let report = try await AdminClient(socketPath: member.adminSocket)
            .post("/v1/import?resource=\(TestCatalogue.household)&format=csv", body: Data(csv.utf8), as: ImportReport.self)
        #expect(report.ok)
    }

    static func runner(federation: TestFederation, caller: TestFederation.Member, answering: TestFederation.Member,
                       seed: UInt64) throws -> HostileRunner {
        let signer = try MessageSigner.province(key: caller.pki + "/signing.key", certificate: caller.pki + "/signing.crt")
        let own = try MessageSigner.province(key: answering.pki + "/signing.key", certificate: answering.pki + "/signing.crt")
        let stranger = MessageSigner(key: .p256(P256.Signing.PrivateKey()), keyID: String(repeating: "ab", count: 32), label: TongbanProfile.label)
        // A certificate for province 11 from a root no member trusts.
        let foreign = federation.directory.path + "/foreign"
        try ProvinceCredentials.issue(by: try FederationCA.create(name: "Another Root"), province: try ProvinceCode("11"),
                                      dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"]).write(to: foreign)
        func tls(certificate: String?, key: String?, verify: Bool = true) throws -> NIOSSLContext {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.minimumTLSVersion = .tlsv13
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caller.pki + "/root.crt"))
            configuration.certificateVerification = verify ? .noHostnameVerification : .none
            if let certificate, let key {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            }
            return try NIOSSLContext(configuration: configuration)
        }
        let host = "127.0.0.1"
        let endpoints: [HostileTarget: RawConnection.Endpoint] = [
            .peer: .tls(host: host, port: answering.peerPort, context: try tls(certificate: caller.pki + "/tls.crt", key: caller.pki + "/tls.key")),
            .peerWithoutCertificate: .tls(host: host, port: answering.peerPort, context: try tls(certificate: nil, key: nil)),
            .peerWithForeignCertificate: .tls(host: host, port: answering.peerPort,
                                              context: try tls(certificate: foreign + "/tls.crt", key: foreign + "/tls.key")),
            .peerPlain: .tcp(host: host, port: answering.peerPort),
            .local: .tcp(host: host, port: answering.localPort),
            .localTLS: .tls(host: host, port: answering.localPort, context: try tls(certificate: nil, key: nil, verify: false)),
            .admin: .unix(path: answering.adminSocket),
        ]
        let generator = HostileGenerator(signer: signer, otherProvinceSigner: own, unlistedSigner: stranger,
                                          peerAuthority: "\(host):\(answering.peerPort)", localAuthority: "\(host):\(answering.localPort)",
                                          departmentToken: Self.token, seed: seed, person: ExchangeTests.person)
        return HostileRunner(generator: generator, endpoints: endpoints, tally: HostileTally(), workers: 4)
    }

    /// The verdicts can fail: a refusal that must be refused but was accepted, a 5xx, a plain 400 where a problem
    /// was due, a control refused, an unsigned refusal on the peer listener.
    @Test(arguments: [
        (HostileVerdict.refused, HostileOutcome.accepted(200), true),
        (.refused, .problem(401, code: "tongban.signature.invalid", signed: true), false),
        (.refuse([401]), .problem(400, code: "tongban.digest.mismatch", signed: true), true),
        (.refused, .plain(400), true),
        (.refused, .problem(401, code: "tongban.signature.invalid", signed: false), true),
        (.neutral, .serverError(500), true),
        (.neutral, .accepted(200), false),
        (.neutral, .closed("reset"), true),
        (.tolerate, .closed("reset"), false),
        (.tolerate, .serverError(501), true),
        (.reject, .plain(400), false),
        (.reject, .accepted(204), true),
        (.elsewhere, .closed("handshake"), false),
        (.elsewhere, .accepted(200), true),
        (.accept, .problem(401, code: "tongban.signature.invalid", signed: true), true),
        (.accept, .accepted(200), false),
        (.refused, .timeout, true),
    ])
    func verdictsCanFail(_ verdict: HostileVerdict, _ outcome: HostileOutcome, _ violates: Bool) {
        #expect((outcome.violation(of: verdict, target: .peer) != nil) == violates, "\(verdict) \(outcome)")
    }
}
