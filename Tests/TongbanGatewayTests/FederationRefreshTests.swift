import AsyncHTTPClient
import Foundation
import Synchronization
import Testing
import TongbanClient
import TongbanCore
import TongbanPKI
import TongbanTestKit

/// The federation manifest under real daemons: refused manifests leave the last good copy in force, a suspension
/// under a running stream of exchanges takes effect within one refresh and is lifted again, and a gateway whose hub
/// is down gets the manifest from a peer.
@Suite(.serialized) struct FederationRefreshTests {
    // MARK: Helpers

    /// `tongban_federation_refresh_total{outcome=…,reason=…}` in `member`'s metrics (0 when absent).
    static func refreshCount(_ member: TestFederation.Member, outcome: String, reason: String? = nil) throws -> Double {
        let metrics = try Spawn.capture("/usr/bin/curl", ["-s", member.localURL + "/metrics"]).output
        let lines = metrics.split(separator: "\n").filter { line in
            line.hasPrefix("tongban_federation_refresh_total{") && line.contains("outcome=\"\(outcome)\"")
                && (reason.map { line.contains("reason=\"\($0)\"") } ?? true)
        }
        return lines.compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
    }

    static func status(_ member: TestFederation.Member) async throws -> FederationStatus {
        try await AdminClient(socketPath: member.adminSocket).get("/v1/federation", as: FederationStatus.self)
    }

    static func stateJWS(_ member: TestFederation.Member) -> String {
        ((try? String(contentsOfFile: member.home + "/state/federation.jws", encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func readJWS(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func index(of province: String, in manifest: FederationManifest) throws -> Int {
        try #require(manifest.members.firstIndex { $0.province == province })
    }

    // MARK: 1. Refusals keep the last good copy

    /// Rollback, tampering, a foreign signer and expiry are each refused at a refresh: the serial in force, the copy
    /// on disk and the exchanges stay as they were, and each refusal is recorded in the status and counted.
    @Test func refusedManifestsLeaveTheLastGoodCopyInForce() async throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        let beijing = federation["11"]
        let serial1 = try Self.readJWS(federation.manifestPath)
        let daemon = try await RunningDaemon(beijing)
        #expect(try federation.updateManifest { _ in } == 2)
        let applied = try await federation.refresh(beijing)
        #expect(applied.outcome == "applied" && applied.serial == 2, "\(applied)")
        let serial2 = try Self.readJWS(federation.manifestPath)
        #expect(Self.stateJWS(beijing) == serial2)
        let caller = try CraftingClient(tlsAs: federation["31"], signingKeyOf: federation["31"], target: beijing)
        #expect(try await caller.ping().status == 200)

        // (b) tampered: one character of the payload changed.
        var parts = serial2.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        #expect(parts.count == 3)
        var payload = Array(parts[1])
        let at = payload.count / 2
        payload[at] = payload[at] == "A" ? "B" : "A"
        parts[1] = String(payload)
        let tampered = parts.joined(separator: ".")

        // (c) foreign: a higher serial signed by an authority of another root.
        let foreignCA = try FederationCA.create(name: "Foreign Federation Root")
        let foreignAuthority = try FederationAuthority.create(by: foreignCA, name: "Foreign Federation Authority")
        var higher = try federation.manifest()
        higher.serial += 1
        higher.issuedAt = Date()
        higher.expiresAt = Date().addingTimeInterval(86_400)
        let foreign = try foreignAuthority.sign(higher)

        // (d) expired: a higher serial signed by the real authority, past its expiry.
        var stale = try federation.manifest()
        stale.serial += 1
        stale.issuedAt = Date().addingTimeInterval(-2 * 86_400)
        stale.expiresAt = Date().addingTimeInterval(-86_400)
        let expired = try FederationAuthority(directory: federation.authorityDirectory).sign(stale)

        let cases: [(name: String, jws: String, reasons: [String])] = [
            ("rollback", serial1, ["rollback"]),
            ("tampered", tampered, ["signature", "malformed"]),
            ("foreign", foreign, ["foreign"]),
            ("expired", expired, ["expired"]),
        ]
        for (name, jws, reasons) in cases {
            let before = try reasons.map { try Self.refreshCount(beijing, outcome: "refused", reason: $0) }.reduce(0, +)
            try (jws + "\n").write(toFile: federation.manifestPath, atomically: true, encoding: .utf8)
            let report = try await federation.refresh(beijing)
            #expect(report.outcome == "refused" && report.serial == 2, "\(name): \(report)")
            let status = try await Self.status(beijing)
            #expect(status.serial == 2, "\(name): \(status)")
            let refusal = status.lastRefusal ?? ""
            #expect(reasons.contains { refusal.contains(": \($0): ") }, "\(name): lastRefusal \(refusal)")
            #expect(status.lastRefusalAt != nil)
            let after = try reasons.map { try Self.refreshCount(beijing, outcome: "refused", reason: $0) }.reduce(0, +)
            #expect(after == before + 1, "\(name): tongban_federation_refresh_total{outcome=\"refused\",reason=\(reasons)} \(before) → \(after)")
            #expect(Self.stateJWS(beijing) == serial2, "\(name): the last good copy on disk changed")
            let ping = try await caller.ping()
            #expect(ping.status == 200, "\(name): \(ping.body)")
            print("refused \(name): \(refusal)")
        }
        #expect(try Self.refreshCount(beijing, outcome: "applied") == 1)
        try await caller.http.shutdown()
        #expect(await daemon.stop() == 0)
        // The last good copy is what a restart comes up on, the file being a refused one.
        let restarted = try await RunningDaemon(beijing)
        #expect(try await Self.status(beijing).serial == 2)
        #expect(await restarted.stop() == 0)
    }

    // MARK: 2. Suspension under a stream

    /// What the background stream of queries from 11 to 31 saw.
    struct StreamTally: Sendable {
        var ok = 0
        var refusedByPeer = 0
        var refusedLocally = 0
        var bad: [String] = []
    }

    final class Stream: Sendable {
        let running = Atomic<Bool>(true)
        let tally = Mutex(StreamTally())
    }

    /// Suspending 11 stops its queries at 31 (403 `tongban.member.suspended`, audited by 31); suspending 31 stops
    /// 11's calls to it before anything is sent; resuming lifts both. A stream of queries runs throughout and never
    /// sees a 5xx or an answer that does not verify. With `refreshSeconds: 1` the suspension takes effect within one
    /// refresh interval of signing, without an explicit refresh.
    @Test func suspensionUnderAStreamStopsThePeerWithinOneRefreshAndResumeLiftsIt() async throws {
        let f = try await ExchangeTests.Federation.start()
        defer { f.federation.remove() }
        let federation = f.federation
        let query: @Sendable () async throws -> OutboundResult = { try await f.query(TestCatalogue.household, "medical-registration", [ExchangeTests.person]) }
        #expect(try await query().status == 200)

        let shared = Stream()
        let stream = Task {
            while shared.running.load(ordering: .relaxed) {
                do {
                    let result = try await query()
                    shared.tally.withLock { t in
                        switch (result.status, ExchangeTests.code(result)) {
                        case (200, _): t.ok += 1
                        case (403, "tongban.member.suspended"): t.refusedByPeer += 1
                        default: t.bad.append("\(result.status) \(result.answer)")
                        }
                    }
                } catch let error as TongbanError where error.code == .memberSuspended {
                    shared.tally.withLock { $0.refusedLocally += 1 }
                } catch let error as TongbanError where error.code == .peerRefused {
                    shared.tally.withLock { $0.bad.append(error.message) }
                } catch {
                    shared.tally.withLock { $0.bad.append("\(error)") }
                }
                // A steady stream, not a flood: the suite's timing tests run beside it on two cores.
                try? await Task.sleep(for: .milliseconds(50))
            }
        }

        // 11 suspended, 31 refreshed first: 31 refuses it — 403 on a connection opened before, or in the handshake
        // of a new one — and audits the refusal.
        try await Task.sleep(for: .milliseconds(300))
        try federation.updateManifest { manifest in manifest.members[try Self.index(of: "11", in: manifest)].status = .suspended }
        #expect(try await federation.refresh(federation["31"]).outcome == "applied")
        #expect(try await Self.status(federation["31"]).suspended == ["11"])
        do {
            let refused = try await query()
            #expect(refused.status == 403 && ExchangeTests.code(refused) == "tongban.member.suspended", "\(refused)")
        } catch let error as TongbanError {
            #expect(error.code == .peerRefused, "\(error)")
        }
        // 11 refreshed too: it knows it is suspended and sends nothing.
        #expect(try await federation.refresh(federation["11"]).outcome == "applied")
        await #expect { _ = try await query() } throws: { ($0 as? TongbanError)?.code == .memberSuspended }
        let metrics = try Spawn.capture("/usr/bin/curl", ["-s", federation["31"].localURL + "/metrics"]).output
        #expect(metrics.split(separator: "\n").contains { $0.hasPrefix("tongban_refusals_total{") && $0.contains("code=\"tongban.member.suspended\"") },
                "31 did not count its refusals of suspended 11")
        let audit = try await f.sh.get("/v1/audit?last=5", as: [AuditEntry].self)
        // Audited (the first refusal of a minute per province and code; every one is counted in the metrics).
        #expect(audit.contains { $0.direction == .inbound && $0.reasonCode == "tongban.member.suspended" && $0.peer == "11" && $0.status == 403
                                 && ($0.endpoint == "query" || $0.endpoint == "tls-handshake") },
                "\(audit.map { "\($0.sequence) \($0.peer) \($0.status) \($0.reasonCode)" })")
        #expect(try await f.sh.get("/v1/audit/verify", as: AuditVerification.self).ok)

        // Resumed: served again.
        try federation.updateManifest { manifest in manifest.members[try Self.index(of: "11", in: manifest)].status = .active }
        #expect(try await federation.refresh(federation["31"]).outcome == "applied")
        #expect(try await federation.refresh(federation["11"]).outcome == "applied")
        let resumed = try await query()
        #expect(resumed.status == 200, "\(resumed)")

        // 31 suspended, only 11 refreshed: 11 refuses to call it, and 31 receives nothing.
        try federation.updateManifest { manifest in manifest.members[try Self.index(of: "31", in: manifest)].status = .suspended }
        #expect(try await federation.refresh(federation["11"]).outcome == "applied")
        try await Task.sleep(for: .milliseconds(300))
        let lastAtShanghai = try await f.sh.get("/v1/audit?last=1", as: [AuditEntry].self).last?.sequence
        do {
            let answer = try await query()
            Issue.record("11 called suspended 31: \(answer)")
        } catch let error as TongbanError {
            #expect(error.code == .memberSuspended, "\(error)")
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await f.sh.get("/v1/audit?last=1", as: [AuditEntry].self).last?.sequence == lastAtShanghai, "31 received a call while suspended at 11")

        // Resumed: served again.
        try federation.updateManifest { manifest in manifest.members[try Self.index(of: "31", in: manifest)].status = .active }
        #expect(try await federation.refresh(federation["11"]).outcome == "applied")
        #expect(try await federation.refresh(federation["31"]).outcome == "applied")
        #expect(try await query().status == 200)
        try await Task.sleep(for: .milliseconds(300))

        shared.running.store(false, ordering: .relaxed)
        await stream.value
        let seen = shared.tally.withLock { $0 }
        print("stream 11 → 31: \(seen.ok) answered 200, \(seen.refusedByPeer) refused by 31 (403 suspended), "
              + "\(seen.refusedLocally) refused by 11 (suspended), \(seen.bad.count) other")
        // Between 31 applying 11's suspension and 11 applying it, a new connection of 11 is refused in the TLS
        // handshake: 11 reports that as the peer's refusal (tongban.peer.refused, not an outage). Nothing else may
        // fail: in particular no answer already on its way when a suspension is applied is lost.
        let handshakeRefusals = seen.bad.filter { $0.contains("refused this gateway's TLS certificate in the handshake") }
        let other = seen.bad.filter { !handshakeRefusals.contains($0) }
        #expect(other.isEmpty, "\(other.prefix(5))")
        #expect(seen.ok > 0 && seen.refusedLocally > 0, "\(seen)")
        await f.stop()

        // The delay from signing to the first refusal, by the periodic refresh alone (every second).
        let timed = try TestFederation(provinces: ["11", "31"], federationConfig: "  refreshSeconds: 1\n")
        defer { timed.remove() }
        let shanghai = try await RunningDaemon(timed["31"])
        let caller = try CraftingClient(tlsAs: timed["11"], signingKeyOf: timed["11"], target: timed["31"])
        #expect(try await caller.ping().status == 200)
        let signed = ContinuousClock.now
        try timed.updateManifest { manifest in manifest.members[try Self.index(of: "11", in: manifest)].status = .suspended }
        var delay: Duration?
        while ContinuousClock.now - signed < .seconds(5) {
            let ping = try await caller.ping()
            if ping.status != 200 {
                SignedExchangeTests.expectRefused(ping, 403, "tongban.member.suspended")
                delay = ContinuousClock.now - signed
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        print("suspension delay, signing to the first refusal (refreshSeconds 1): \(delay.map { "\($0)" } ?? "none within 5 s")")
        #expect(delay != nil && delay! < .milliseconds(2_500), "\(String(describing: delay))")
        try await caller.http.shutdown()
        #expect(await shanghai.stop() == 0)
    }

    // MARK: 3. The hub down

    /// A hub (nginx over HTTPS, its own CA) serves the authority's directory. Both gateways start from it and apply
    /// serial 2 from it; 11 applies serial 3 from it too, then the hub goes down: 31 gets serial 3 from peer 11.
    @Test func hubDownManifestComesFromAPeer() async throws {
        let nginx = "/usr/sbin/nginx"
        try #require(FileManager.default.isExecutableFile(atPath: nginx), "no nginx at \(nginx)")
        let hubDirectory = try TemporaryDirectory("tbhub")
        defer { hubDirectory.remove() }
        let hub = hubDirectory.path
        let hubCA = hub + "/hub-ca.crt"
        for command in [
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", hub + "/hub-ca.key", "-out", hubCA,
             "-days", "1", "-subj", "/CN=Tongban Test Hub CA"],
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", hub + "/hub.key", "-out", hub + "/hub.csr",
             "-subj", "/CN=127.0.0.1"],
            ["x509", "-req", "-in", hub + "/hub.csr", "-CA", hubCA, "-CAkey", hub + "/hub-ca.key", "-CAcreateserial", "-days", "1",
             "-extfile", hub + "/ext.cnf", "-out", hub + "/hub.crt"],
        ] {
            try "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n"
                .write(toFile: hub + "/ext.cnf", atomically: true, encoding: .utf8)
            let run = try Spawn.capture("/usr/bin/openssl", command)
            try #require(run.status == 0, "openssl \(command.prefix(2)): \(run.output)")
        }
        let port = try DaemonProcess.freePort()
        let federation = try TestFederation(provinces: ["11", "31"], federationConfig: """
              url: https://127.0.0.1:\(port)/\(AuthorityWorkspace.signedFile)
              hubCA: \(hubCA)

            """, manifestFile: false)
        defer { federation.remove() }
        try FileManager.default.createDirectory(atPath: hub + "/tmp", withIntermediateDirectories: true)
        try """
        daemon off;
        master_process on;
        worker_processes 1;
        pid \(hub)/nginx.pid;
        error_log \(hub)/error.log warn;
        events { worker_connections 64; }
        http {
            access_log off;
            client_body_temp_path \(hub)/tmp/body;
            proxy_temp_path \(hub)/tmp/proxy;
            fastcgi_temp_path \(hub)/tmp/fastcgi;
            uwsgi_temp_path \(hub)/tmp/uwsgi;
            scgi_temp_path \(hub)/tmp/scgi;
            server {
                listen 127.0.0.1:\(port) ssl;
                ssl_certificate \(hub)/hub.crt;
                ssl_certificate_key \(hub)/hub.key;
                location / { root \(federation.authorityDirectory); default_type application/jose; }
            }
        }

        """.write(toFile: hub + "/nginx.conf", atomically: true, encoding: .utf8)
        var arguments = ["-p", hub, "-c", hub + "/nginx.conf"]
        if getuid() == 0 { arguments = ["-g", "user root;"] + arguments }
        let nginxPID = try DaemonProcess.spawn(executable: nginx, arguments: arguments, log: hub + "/nginx.out",
                                               environment: ProcessInfo.processInfo.environment, newSession: false)
        var nginxRunning = true
        defer { if nginxRunning { kill(nginxPID, SIGKILL); var s: Int32 = 0; waitpid(nginxPID, &s, 0) } }
        let url = "https://127.0.0.1:\(port)/\(AuthorityWorkspace.signedFile)"
        var served = false
        for _ in 0..<100 where !served {
            served = (try? Spawn.capture("/usr/bin/curl", ["-sf", "--cacert", hubCA, "-o", "/dev/null", url]).status) == 0
            if !served { try await Task.sleep(for: .milliseconds(50)) }
        }
        try #require(served, "nginx does not serve \(url): \((try? String(contentsOfFile: hub + "/error.log", encoding: .utf8)) ?? "")")

        let started = ContinuousClock.now
        let beijing = try await RunningDaemon(federation["11"]), shanghai = try await RunningDaemon(federation["31"])
        print("hub: both gateways up in \(ContinuousClock.now - started)")
        for code in ["11", "31"] {
            let status = try await Self.status(federation[code])
            #expect(status.serial == 1 && status.source == "hub \(url)", "\(code): \(status)")
        }
        #expect(try federation.updateManifest { _ in } == 2)
        let fromHub = try await federation.refresh(federation["31"])
        #expect(fromHub.outcome == "applied" && fromHub.serial == 2 && fromHub.source == "hub \(url)", "\(fromHub)")
        #expect(try federation.updateManifest { _ in } == 3)
        let eleven = try await federation.refresh(federation["11"])
        #expect(eleven.outcome == "applied" && eleven.serial == 3 && eleven.source == "hub \(url)", "\(eleven)")

        // The hub goes down: 31 cannot reach it and asks its peers.
        _ = await DaemonProcess.stop(nginxPID)
        nginxRunning = false
        let asked = ContinuousClock.now
        let fromPeer = try await federation.refresh(federation["31"])
        let took = ContinuousClock.now - asked
        print("hub down: refresh of 31 took \(took): \(fromPeer)")
        #expect(took < .seconds(3), "a hub whose port is closed held the refresh \(took) before the peers were asked")
        #expect(fromPeer.outcome == "applied" && fromPeer.serial == 3 && fromPeer.source == "peer 11", "\(fromPeer)")
        #expect(fromPeer.problems.contains { $0.hasPrefix("hub ") }, "\(fromPeer.problems)")
        let status = try await Self.status(federation["31"])
        #expect(status.serial == 3 && status.source == "peer 11", "\(status)")
        #expect(Self.stateJWS(federation["31"]) == (try Self.readJWS(federation.manifestPath)))
        // Nothing newer anywhere: unchanged, still from the peer.
        #expect(try await federation.refresh(federation["31"]).outcome == "unchanged")
        // And the exchange between them runs on it.
        let caller = try CraftingClient(tlsAs: federation["11"], signingKeyOf: federation["11"], target: federation["31"])
        #expect(try await caller.ping().status == 200)
        try await caller.http.shutdown()
        #expect(await beijing.stop() == 0)
        #expect(await shanghai.stop() == 0)
    }
}
