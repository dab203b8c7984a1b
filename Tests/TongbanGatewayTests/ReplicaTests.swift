import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Synchronization
import Testing
import TongbanClient
import TongbanCore
import TongbanDemo
import TongbanTestKit

/// 上海 (31) on several replicas that share one PostgreSQL database (a private cluster the tests start), 北京 (11)
/// asking: a request id is served once whichever replica gets it, a grant made on one replica is in force on the
/// others within the cache's age, and — behind haproxy, started with the shipped configuration — a replica killed
/// with `kill -9` under load loses no acknowledged answer from the audit, and the chain stays one.
@Suite(.serialized) struct ReplicaTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let person = ExchangeTests.person

    static func importRecords(into admin: AdminClient) async throws {
        for (resource, csv) in [
            (TestCatalogue.household, "idNumber,name,gender,birthDate,address,county\n\(person),王小明,男,1980-05-12,上海市黄浦区南京东路1号,310101\n"),
            (TestCatalogue.education, "idNumber,name,school,degree\n\(person),王小明,复旦大学,硕士研究生\n"),
        ] {
            let report = try await admin.post("/v1/import?resource=\(resource)&format=csv", body: Data(csv.utf8), as: ImportReport.self)
            #expect(report.ok, "\(report.errors)")
        }
    }

    static func queryBody(_ resource: String, _ matter: String) throws -> Data {
        try JSONCoding.encoder().encode(QueryRequest(resource: resource, matter: matter,
                                                     requester: .init(departmentCode: "11010500", departmentName: "朝阳区公安分局", operatorId: "op-7"),
                                                     subjects: [person]))
    }

    @Test func replicasServeARequestIdOnceAndShareGrantsAndOneChain() async throws {
        let federation = try TestFederation(provinces: ["11", "31"], catalogue: TestCatalogue.exchangeYAML())
        defer { federation.remove() }
        let store = TestFederation.postgresStore(try TestPostgres.shared().makeDatabase("replicas"), cacheSeconds: 1)
        let memberB = try federation.replica(of: federation["31"], name: "31-b", store: store)
        let beijing = try await RunningDaemon(federation["11"])
        let replicaA = try await RunningDaemon(federation["31"]), replicaB = try await RunningDaemon(memberB)
        let adminA = AdminClient(socketPath: federation["31"].adminSocket), adminB = AdminClient(socketPath: memberB.adminSocket)
        try await Self.importRecords(into: adminA)

        // One signed request, sent to A and then, unchanged, to B: served once, refused by B as a replay.
        let toA = try CraftingClient(tlsAs: federation["11"], signingKeyOf: federation["11"], target: federation["31"])
        let toB = try CraftingClient(tlsAs: federation["11"], signingKeyOf: federation["11"], target: memberB)
        let authority = "127.0.0.1:\(federation["31"].peerPort)"
        let id = UUID().uuidString.lowercased()
        let created = Date()
        let body = try Self.queryBody(TestCatalogue.household, "medical-registration")
        let first = try await toA.send(.POST, "/v1/query", body: body, requestID: id, created: created, authority: authority)
        #expect(first.status == 200, "\(first.body)")
        let again = try await toB.send(.POST, "/v1/query", body: body, requestID: id, created: created, authority: authority)
        #expect(again.status == 409 && again.code == TongbanError.Code.requestReplayed.rawValue, "\(again.status) \(again.body)")
        // B, restarted, still refuses it (its replay window comes from the shared log).
        #expect(await replicaB.stop() == 0)
        let restartedB = try await RunningDaemon(memberB)
        let afterRestart = try await toB.send(.POST, "/v1/query", body: body, requestID: id, created: created, authority: authority)
        #expect(afterRestart.status == 409 && afterRestart.code == TongbanError.Code.requestReplayed.rawValue)

        // A grant made on A is in force on B within store.cacheSeconds (1 s) — B had just read and cached the grants.
        let education = try Self.queryBody(TestCatalogue.education, "degree-verification")
        let before = try await toB.send(.POST, "/v1/query", body: education, authority: authority)
        #expect(before.status == 403 && before.code == "tongban.policy.no-grant", "\(before.body)")
        let granted = ContinuousClock.now
        let grant = try await adminA.post("/v1/grants", body: try JSONCoding.encoder().encode(
            GrantRequest(peer: "11", resource: TestCatalogue.education, matter: "degree-verification", fields: ["idNumber", "name", "school"],
                         clearFields: [], days: 30)), as: Grant.self)
        var status = 0
        while status != 200, ContinuousClock.now - granted < .seconds(10) {
            status = try await toB.send(.POST, "/v1/query", body: education, authority: authority).status
            if status != 200 { try await Task.sleep(for: .milliseconds(50)) }
        }
        let seen = ContinuousClock.now - granted
        #expect(status == 200 && seen < .milliseconds(2_000), "B served the grant made on A after \(seen)")
        // The revocation, made on B, stops A within the same time.
        _ = try await adminB.post("/v1/grants/\(grant.id)/revoke", body: Data(), as: [String: String].self)
        let revoked = ContinuousClock.now
        while status == 200, ContinuousClock.now - revoked < .seconds(10) {
            status = try await toA.send(.POST, "/v1/query", body: education, authority: authority).status
            if status == 200 { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(status == 403 && ContinuousClock.now - revoked < .milliseconds(2_000))

        // One chain, whichever replica wrote: both verify all of it.
        let verifiedA = try await adminA.get("/v1/audit/verify", as: AuditVerification.self)
        let verifiedB = try await adminB.get("/v1/audit/verify", as: AuditVerification.self)
        #expect(verifiedA.ok && verifiedA == verifiedB && verifiedA.entries >= 6, "\(verifiedA)")
        try await toA.http.shutdown()
        try await toB.http.shutdown()
        print("replicas: request id served once across replicas; a grant made on one replica served by the other after \(seen)")
        #expect(await restartedB.stop() == 0)
        #expect(await replicaA.stop() == 0)
        #expect(await beijing.stop() == 0)
    }

    /// The shipped haproxy configuration is the one the demo and these tests run (for two example replicas).
    @Test func theShippedHAProxyConfigurationIsTheOneTested() throws {
        let shipped = try String(contentsOf: Self.repository.appendingPathComponent("systemd/haproxy-tongban.cfg"), encoding: .utf8)
        #expect(shipped == HAProxyConfiguration.render(bind: "0.0.0.0:8443", servers: HAProxyConfiguration.example))
    }

    final class Load: Sendable {
        let running = Atomic<Bool>(true)
        let answers = Mutex((ok: [String](), failed: 0, failures: [String: Int]()))
    }

    @Test func killNineOfAReplicaBehindHAProxyLosesNoAcknowledgedAnswer() async throws {
        let federation = try TestFederation(provinces: ["11", "31"], catalogue: TestCatalogue.exchangeYAML())
        defer { federation.remove() }
        // 北京 probes 上海 again after 0.2 s rather than 30 (its circuit breaker), so a failover is seen at once.
        let path = federation["11"].configPath
        try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "peerClient:\n  timeoutSeconds: 3\n", with: "peerClient:\n  timeoutSeconds: 3\n  circuitOpenSeconds: 0.2\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let store = TestFederation.postgresStore(try TestPostgres.shared().makeDatabase("failover"))
        let members = try (1...3).map { try federation.replica(of: federation["31"], name: "31-r\($0)", store: store) }
        // haproxy takes 上海's address in the manifest; the replicas listen on ports of their own.
        let proxy = try TestHAProxy(directory: federation.directory.path, port: federation["31"].peerPort,
                                    servers: members.map { (peer: $0.peerPort, local: $0.localPort) })
        defer { proxy.stop() }
        let beijing = try await RunningDaemon(federation["11"])
        var replicas: [RunningDaemon] = []
        for member in members { replicas.append(try await RunningDaemon(member)) }
        let admin = AdminClient(socketPath: members[0].adminSocket)
        try await Self.importRecords(into: admin)
        let bj = AdminClient(socketPath: federation["11"].adminSocket)
        let body = try Self.queryBody(TestCatalogue.household, "medical-registration")
        func query() async throws -> OutboundResult { try await bj.post("/v1/outbound/query?peer=31", body: body, as: OutboundResult.self) }
        // Wait until haproxy has checked the replicas up.
        for _ in 0..<200 {
            if (try? await query())?.status == 200 { break }
            try await Task.sleep(for: .milliseconds(50))
        }

        let load = Load()
        let tasks = (0..<4).map { _ in
            Task {
                while load.running.load(ordering: .relaxed) {
                    do {
                        let result = try await query()
                        load.answers.withLock { answers in
                            if result.status == 200 { answers.ok.append(result.requestId) } else {
                                answers.failed += 1
                                if case .string(let code)? = result.answer["code"] { answers.failures[code, default: 0] += 1 }
                            }
                        }
                    } catch {
                        let text = String(String(describing: error).prefix(160))
                        load.answers.withLock { $0.failed += 1; $0.failures[text, default: 0] += 1 }
                        try? await Task.sleep(for: .milliseconds(10))
                    }
                }
            }
        }
        var rounds: [(killed: Int, failedBefore: Int, failedAfter: Int)] = []
        for round in 0..<3 {
            try await Task.sleep(for: .milliseconds(Int.random(in: 700...1_200)))
            let failedBefore = load.answers.withLock { $0.failed }
            let victim = round % replicas.count
            #expect(await replicas[victim].stop(signal: SIGKILL) == 128 + SIGKILL)
            try await Task.sleep(for: .milliseconds(1_500))
            replicas[victim] = try await RunningDaemon(members[victim])
            rounds.append((victim, failedBefore, load.answers.withLock { $0.failed }))
        }
        // Drain one replica as a rolling upgrade would: /healthz answers 503, then it stops with SIGTERM.
        try await Task.sleep(for: .milliseconds(1_000))
        _ = try await AdminClient(socketPath: members[1].adminSocket).post("/v1/drain", body: Data(), as: [String: String].self)
        let plain = HTTPClient(eventLoopGroupProvider: .singleton)
        let health = try await TLSClients.get(plain, members[1].localURL + "/healthz")
        try await plain.shutdown()
        #expect(health.0 == 503 && health.1.contains("\"draining\""), "\(health.0) \(health.1)")
        try await Task.sleep(for: .milliseconds(1_500))
        let failedBeforeStop = load.answers.withLock { $0.failed }
        #expect(await replicas[1].stop() == 0)
        try await Task.sleep(for: .milliseconds(1_000))
        let failedAfterStop = load.answers.withLock { $0.failed }
        load.running.store(false, ordering: .relaxed)
        for task in tasks { await task.value }
        let answers = load.answers.withLock { $0 }

        // Every answer 北京 received with 200 has its inbound entry on 上海, with that response signature.
        let outbound = try await bj.get("/v1/audit?direction=out", as: [AuditEntry].self)
        let inbound = try await admin.get("/v1/audit?direction=in", as: [AuditEntry].self)
        let answered = Dictionary(outbound.filter { $0.status == 200 }.map { ($0.requestId, $0.responseSignature) }, uniquingKeysWith: { a, _ in a })
        let recorded = Dictionary(inbound.map { ($0.requestId, $0.responseSignature) }, uniquingKeysWith: { a, _ in a })
        let missing = answers.ok.filter { recorded[$0] == nil || recorded[$0] != answered[$0] }
        #expect(missing.isEmpty, "\(missing.count) acknowledged answers without their inbound entry")
        let verified = try await admin.get("/v1/audit/verify", as: AuditVerification.self)
        #expect(verified.ok, "\(verified)")
        #expect(answers.ok.count > 100)
        let kills = rounds.map { "replica \($0.killed + 1): \($0.failedAfter - $0.failedBefore) failed" }.joined(separator: ", ")
        print("failover (3 replicas behind haproxy, kill -9 × 3, then a drain): \(answers.ok.count) answers with 200, \(answers.failed) calls failed "
              + "(\(kills); drain and stop: \(failedAfterStop - failedBeforeStop)); by code \(answers.failures); "
              + "acknowledged answers missing from the audit: \(missing.count); chain of \(verified.entries) entries verifies: \(verified.ok)")
        for (index, replica) in replicas.enumerated() where index != 1 { #expect(await replica.stop() == 0) }
        #expect(await beijing.stop() == 0)
    }

    /// `tongbanctl store migrate` moves a province that ran on SQLite onto PostgreSQL: run while the daemon runs, then
    /// again after it stopped (resuming), checked; the daemon then starts on PostgreSQL with everything it had.
    @Test func aSingleMachineProvinceMovesOntoPostgreSQL() async throws {
        let f = try await ExchangeTests.Federation.start()
        defer { f.federation.remove() }
        for _ in 0..<5 { #expect(try await f.query(TestCatalogue.household, "medical-registration", [Self.person]).status == 200) }
        _ = try await f.sh.post("/v1/grants", body: try JSONCoding.encoder().encode(
            GrantRequest(peer: "11", resource: TestCatalogue.education, matter: "degree-verification", fields: ["idNumber", "name", "school"],
                         clearFields: [], days: 30)), as: Grant.self)
        let postgres = try TestPostgres.shared()
        let url = try postgres.makeDatabase("migrate")
        let state = "sqlite:" + f.federation["31"].home + "/state"
        // While the daemon runs: copied and checked.
        let first = try Spawn.capture(BuiltProducts.tongbanctl, ["store", "migrate", "--from", state, "--to", url])
        #expect(first.status == 0 && first.output.contains("migrated"), "\(first.output)")
        for _ in 0..<3 { #expect(try await f.query(TestCatalogue.education, "degree-verification", [Self.person]).status == 200) }
        let before = try await f.sh.get("/v1/audit/verify", as: AuditVerification.self)
        #expect(await f.shanghai.stop() == 0)
        // After it stopped: only what came since is appended.
        let second = try Spawn.capture(BuiltProducts.tongbanctl, ["store", "migrate", "--from", state, "--to", url, "--json"])
        #expect(second.status == 0, "\(second.output)")
        let report = try JSONCoding.decoder().decode(StoreMigrationSummary.self, from: Data(second.output.utf8))
        #expect(report.auditCopied == 3 + 0 && report.chain.ok && report.chain.entries == before.entries && report.mismatches.isEmpty, "\(second.output)")

        // 上海 on PostgreSQL: its records, grant and log are all there, and the chain goes on.
        try f.federation.useStore(TestFederation.postgresStore(url), for: f.federation["31"])
        let onPostgres = try await RunningDaemon(f.federation["31"])
        #expect(try await f.query(TestCatalogue.education, "degree-verification", [Self.person]).status == 200)
        let after = try await f.sh.get("/v1/audit/verify", as: AuditVerification.self)
        #expect(after.ok && after.entries == before.entries + 1, "\(after)")

        // Another province's SQLite state is refused by that database, and changes nothing in it.
        let other = try Spawn.capture(BuiltProducts.tongbanctl, ["store", "migrate", "--from", "sqlite:" + f.federation["11"].home + "/state", "--to", url])
        #expect(other.status != 0 && other.output.contains("different audit secret"), "\(other.output)")
        #expect(try await f.sh.get("/v1/audit/verify", as: AuditVerification.self).entries == after.entries)
        let missing = try Spawn.capture(BuiltProducts.tongbanctl, ["store", "migrate", "--from", "sqlite:/nonexistent", "--to", url])
        #expect(missing.status != 0 && missing.output.contains("no SQLite store"), "\(missing.output)")
        #expect(await onPostgres.stop() == 0)
        #expect(await f.beijing.stop() == 0)
    }

    /// The parts of `tongbanctl store migrate --json` the test reads.
    struct StoreMigrationSummary: Decodable {
        let auditCopied: Int
        let chain: AuditVerification
        let mismatches: [String]
    }
}
