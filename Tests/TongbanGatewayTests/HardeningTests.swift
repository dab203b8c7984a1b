import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TongbanClient
import TongbanCore
import TongbanPKI
import TongbanSigning
import TongbanTestKit

/// The defects of the first hardening round (issue 26), each provoked on live daemons the way it was found.
@Suite(.serialized) struct HardeningTests {
    static func query(_ subjects: [String], resource: String = TestCatalogue.household, matter: String = "medical-registration") -> Data {
        let query = QueryRequest(resource: resource, matter: matter,
                                 requester: .init(departmentCode: "11010500", departmentName: "朝阳区公安分局", operatorId: "op-1"),
                                 subjects: subjects)
        return try! JSONCoding.encoder().encode(query)
    }

    /// A request signed with the answering province's own key is a 403 with its code, not a 500; an invalid ID
    /// number is a 400 naming its position; a signed `@authority` that is not this gateway's is refused.
    @Test func refusalsCarryTheirOwnStatus() async throws {
        let f = try await ExchangeTests.Federation.start()
        let federation = f.federation
        // 11's TLS certificate, 31's own signing key, sent to 31.
        let ownKey = try CraftingClient(tlsAs: federation["11"], signingKeyOf: federation["31"], target: federation["31"])
        SignedExchangeTests.expectRefused(try await ownKey.ping(), 403, "tongban.identity.mismatch")

        let client = try CraftingClient(tlsAs: federation["11"], signingKeyOf: federation["11"], target: federation["31"])
        let good = try await client.send(.POST, "/v1/query", body: Self.query([ExchangeTests.person]))
        #expect(good.status == 200, "\(good.body)")
        // A wrong check digit, then a 15-digit number that is not a date, in second and third place.
        let badCheck = String(ExchangeTests.person.dropLast()) + (ExchangeTests.person.last == "0" ? "1" : "0")
        let invalid = try await client.send(.POST, "/v1/query", body: Self.query([ExchangeTests.person, badCheck]))
        SignedExchangeTests.expectRefused(invalid, 400, "tongban.subject.invalid")
        #expect(invalid.body.contains("subject 2 of 2") && invalid.body.contains("check-character"), "\(invalid.body)")
        #expect(!invalid.body.contains(badCheck), "the refusal must not echo the number")
        let verify = VerifyRequest(resource: TestCatalogue.household, matter: "medical-registration",
                                   requester: .init(departmentCode: "11010500", departmentName: "朝阳区公安分局", operatorId: "op-1"),
                                   subject: "110105194912310021", claims: ["name": "王小明"])
        let badVerify = try await client.send(.POST, "/v1/verify", body: try JSONCoding.encoder().encode(verify))
        SignedExchangeTests.expectRefused(badVerify, 400, "tongban.subject.invalid")
        // A legacy 15-digit number is the 18-digit one: found, as import stores it.
        let legacy = String(ExchangeTests.person.prefix(6)) + String(ExchangeTests.person.dropFirst(8).prefix(9))
        let fifteen = try await client.send(.POST, "/v1/query", body: Self.query([legacy]))
        #expect(fifteen.status == 200 && fifteen.body.contains("\"notFound\":[]"), "\(fifteen.body)")

        // The signed @authority names another host (or another province's gateway): 421, nothing served.
        for authority in ["evil.example", "evil.example:\(federation["31"].peerPort)", "gw.sh.example"] {
            let misdirected = try await client.send(.POST, "/v1/query", body: Self.query([ExchangeTests.person]), authority: authority)
            SignedExchangeTests.expectRefused(misdirected, 421, "tongban.authority.mismatch")
        }
        // Its own names, any port, are served: localhost and 127.0.0.1 are in the TLS certificate.
        let byName = try await client.send(.POST, "/v1/ping", authority: "localhost:443")
        #expect(byName.status == 200, "\(byName.body)")

        for crafted in [ownKey, client] { try await crafted.http.shutdown() }
        let log = f.shanghai.logText
        #expect(!log.contains(badCheck) && !log.contains(ExchangeTests.person), "no ID number in the log")
        await f.stop()
    }

    /// A request captured before a restart is still a replay after it (the window is rebuilt from the audit
    /// log), so no second inbound entry with its request id is written.
    @Test func theReplayWindowOutlivesARestart() async throws {
        let f = try await ExchangeTests.Federation.start()
        let client = try CraftingClient(tlsAs: f.federation["11"], signingKeyOf: f.federation["11"], target: f.federation["31"])
        let id = UUID().uuidString.lowercased()
        let first = try await client.send(.POST, "/v1/query", body: Self.query([ExchangeTests.person]), requestID: id)
        #expect(first.status == 200, "\(first.body)")
        SignedExchangeTests.expectRefused(try await client.send(.POST, "/v1/query", body: Self.query([ExchangeTests.person]), requestID: id),
                                          409, "tongban.request.replayed")
        #expect(await f.shanghai.stop() == 0)
        let again = try await RunningDaemon(f.federation["31"])
        SignedExchangeTests.expectRefused(try await client.send(.POST, "/v1/query", body: Self.query([ExchangeTests.person]), requestID: id),
                                          409, "tongban.request.replayed")
        let entries = try await f.sh.get("/v1/audit?request=\(id)", as: [AuditEntry].self)
        #expect(entries.count == 1, "one inbound entry for the request id, not one per restart: \(entries.count)")
        try await client.http.shutdown()
        #expect(await again.stop() == 0)
        #expect(await f.beijing.stop() == 0)
    }

    /// The local API authenticates the route the router chose: no spelling of a `/local` path gets past the
    /// token check.
    @Test(arguments: ["/local/v1/catalogues", "//local/v1/catalogues", "/./local/v1/catalogues", "/local//v1/catalogues",
                      "/local/v1/catalogues/", "/local/./v1/catalogues", "/x/../local/v1/catalogues", "/local%2Fv1/catalogues",
                      "/%6Cocal/v1/catalogues", "/LOCAL/v1/catalogues", "/local/v1/peers/31/query", "//local/v1/peers/31/query"])
    func localPathsNeedTheToken(_ path: String) async throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        let daemon = try await RunningDaemon(federation["11"])
        let method = path.hasSuffix("query") ? "POST" : "GET"
        // curl sends the path exactly as written (no dot-segment or slash clean-up on our side).
        var arguments = ["-s", "--path-as-is", "-o", "/dev/null", "-w", "%{http_code}", "-X", method]
        if method == "POST" { arguments += ["-H", "Content-Type: application/json", "--data-binary", "{}"] }
        let result = try Spawn.capture("/usr/bin/curl", arguments + [federation["11"].localURL + path])
        #expect(["401", "404"].contains(result.output), "\(path) answered \(result.output) without a token")
        #expect(await daemon.stop() == 0)
    }

    /// Files the daemon creates are its own user's only, whatever the umask; an audit secret of the wrong size
    /// stops the start instead of being replaced.
    @Test func stateFilesAreOwnerOnlyAndAWrongAuditSecretStopsTheStart() async throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        let member = federation["11"]
        let previous = umask(0o022)
        defer { umask(previous) }
        let daemon = try await RunningDaemon(member)
        func mode(_ path: String) -> Int? {
            (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
        }
        for name in ["tongban.sqlite", "audit.sqlite", "audit.key"] {
            let found = mode(member.home + "/state/" + name)
            #expect(found.map { $0 & 0o077 == 0 } == true, "\(name) has mode \(String(found ?? -1, radix: 8))")
        }
        #expect(mode(member.adminSocket) == 0o660)
        #expect(await daemon.stop() == 0)

        let key = member.home + "/state/audit.key"
        let original = try Data(contentsOf: URL(fileURLWithPath: key))
        try original.prefix(16).write(to: URL(fileURLWithPath: key))
        let refused = try await RunningDaemon(member, waitReady: false)
        for _ in 0..<400 where refused.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!refused.isRunning, "the daemon started with a cut audit secret")
        let status = await refused.stop()
        #expect(status != 0)
        #expect(refused.logText.contains("audit.key has 16 bytes, not 32"), "\(refused.logText)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: key)) == original.prefix(16), "the secret was replaced")
    }

    /// A key the authority revokes stops verifying on the next refresh, without a reload on either side, while the
    /// province's other key (a rotation's) goes on verifying.
    @Test func aRevokedSigningKeyStopsVerifyingAtTheNextRefresh() async throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        let pki = federation["11"].pki
        // A second signing key of 11, in the manifest beside the first.
        let second = federation.directory.path + "/11-second"
        try ProvinceCredentials.issue(by: federation.ca, province: try ProvinceCode("11"), dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"])
            .write(to: second)
        let secondCertificate = try PEMFile.readCertificate(second + "/signing.crt")
        try federation.updateManifest { manifest in
            manifest.members[0].signingKeys.append(try MemberSigningKey(certificate: secondCertificate))
        }
        let shanghai = try await RunningDaemon(federation["31"])
        let old = try CraftingClient(tlsAs: federation["11"], signingKeyOf: federation["11"], target: federation["31"])
        let new = try CraftingClient(tlsAs: federation["11"], signingCertificate: second + "/signing.crt", signingKey: second + "/signing.key",
                                     target: federation["31"])
        #expect(try await old.ping().status == 200)
        #expect(try await new.ping().status == 200)
        let oldKid = try PEMFile.readCertificate(pki + "/signing.crt").sha256Fingerprint
        try federation.updateManifest { manifest in
            manifest.revocations.append(ManifestRevocation(kind: .key, id: oldKid, at: Date().addingTimeInterval(-1), reason: "key compromise"))
        }
        #expect(try await federation.refresh(federation["31"]).outcome == "applied")
        SignedExchangeTests.expectRefused(try await old.ping(), 401, "tongban.key.revoked")
        #expect(try await new.ping().status == 200)
        for crafted in [old, new] { try await crafted.http.shutdown() }
        #expect(await shanghai.stop() == 0)
    }

    /// A caller's key comes from the manifest: a caller this gateway cannot reach is served all the same (no
    /// call-back), and a key the manifest does not list is refused with our code, never one the caller chose.
    @Test func keysComeFromTheManifestWithoutACallBack() async throws {
        let federation = try TestFederation(provinces: ["11", "31", "44"])
        defer { federation.remove() }
        let beijing = try await RunningDaemon(federation["11"])
        // 44 is down: 11 could not call it back, and needs not.
        let caller = try CraftingClient(tlsAs: federation["44"], signingKeyOf: federation["44"], target: federation["11"])
        #expect(try await caller.ping().status == 200)
        // A valid certificate of 44's that the manifest does not list.
        let unlisted = federation.directory.path + "/44-unlisted"
        try ProvinceCredentials.issue(by: federation.ca, province: try ProvinceCode("44"), dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"])
            .write(to: unlisted)
        let stranger = try CraftingClient(tlsAs: federation["44"], signingCertificate: unlisted + "/signing.crt", signingKey: unlisted + "/signing.key",
                                          target: federation["11"])
        let refused = try await stranger.ping()
        SignedExchangeTests.expectRefused(refused, 401, "tongban.signature.invalid")
        #expect(refused.body.contains("not in the federation manifest"), "\(refused.body)")
        for crafted in [caller, stranger] { try await crafted.http.shutdown() }
        let metrics = try Spawn.capture("/usr/bin/curl", ["-s", federation["11"].localURL + "/metrics"]).output
        let refusals = metrics.split(separator: "\n").filter { $0.hasPrefix("tongban_refusals_total{") }
        #expect(!refusals.isEmpty && refusals.allSatisfy { line in
            TongbanError.Code.all.contains { line.contains("code=\"\($0.rawValue)\"") } || line.contains("code=\"other\"")
        }, "\(refusals)")
        #expect(await beijing.stop() == 0)
    }

    /// A query to a peer whose port is closed fails in milliseconds as 502 `tongban.peer.unreachable`, not after
    /// the connect timeout, and says so in words.
    @Test func aRefusedConnectionFailsAtOnce() async throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        let beijing = try await RunningDaemon(federation["11"])
        let admin = AdminClient(socketPath: federation["11"].adminSocket)
        let clock = ContinuousClock()
        // Each call fails at once (the configured connect timeout is 3 s: a refused port must not wait it out),
        // first as unreachable in words, then — the refusals counted towards the circuit — as an open circuit.
        var codes: [TongbanError.Code] = []
        for _ in 0..<6 {
            let start = clock.now
            do {
                _ = try await admin.post("/v1/outbound/query?peer=31", body: Self.query([ExchangeTests.person]), as: OutboundResult.self)
                Issue.record("a query to a stopped peer was answered")
            } catch {
                codes.append(error.code)
                if error.code == .peerUnreachable {
                    #expect(error.message.contains("province 31 at https://127.0.0.1:\(federation["31"].peerPort): connection refused"),
                            "\(error.message)")
                }
            }
            #expect(clock.now - start < .milliseconds(1500), "\(clock.now - start)")
        }
        #expect(codes.first == .peerUnreachable && codes.last == .peerCircuitOpen, "\(codes)")
        #expect(await beijing.stop() == 0)
    }
}

/// A POST is sent once: an answer signed with a key the manifest does not list for the peer is refused, never
/// asked again — the peer may already have served and audited it.
@Suite struct SentOnceTests {
    @Test func anAnswerWithAnUnpublishedKeyIsRefusedNotAskedAgain() async throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        // A second, valid signing key of province 31 that its identity does not show.
        let other = federation.directory.path + "/31-other"
        try ProvinceCredentials.issue(by: federation.ca, province: try ProvinceCode("31"), dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"])
            .write(to: other)
        let peer = try await TwoKeyPeer(tlsDirectory: federation["31"].pki, published: federation["31"].pki, answering: other,
                                        port: federation["31"].peerPort)
        let member = federation["11"]
        let client = PeerClient(credentials: try TLSClients.credentials(of: member), trust: FederationTrust(roots: [federation.ca.certificate]),
                                keys: try federation.peerKeys(of: member), resilience: PeerResilience(timeoutSeconds: 5))
        let endpoint = PeerEndpoint(code: try ProvinceCode("31"), name: "上海", url: federation["31"].peerURL)
        await #expect {
            _ = try await client.request(endpoint, method: .POST, path: "/v1/query", json: Data("{}".utf8))
        } throws: { ($0 as? TongbanError)?.code == .signatureRefused }
        #expect(peer.postsReceived == 1, "the POST was sent \(peer.postsReceived) times")
        try await client.shutdown()
        try await peer.close()
    }
}

/// The peer client checks the province of the server's certificate during the handshake: a gateway of another
/// province at the configured address receives nothing of the request (issue 26, item 14).
@Suite struct ProvinceInHandshakeTests {
    @Test func anotherProvincesGatewayGetsNoRequest() async throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        // Province 11's TLS certificate with no IP address (so the TLS library's address match cannot stand in
        // for the name), listening where the client believes province 31 is.
        let wrong = federation.directory.path + "/11-no-ip"
        try ProvinceCredentials.issue(by: federation.ca, province: try ProvinceCode("11"), dnsNames: ["localhost"], ipAddresses: [])
            .write(to: wrong)
        let listener = try await TwoKeyPeer(tlsDirectory: wrong, published: wrong, answering: wrong, port: federation["31"].peerPort)
        let client = try TLSClients.peerClient(as: federation["11"], federation: federation)
        // By name: the wrong certificate carries `localhost`, so a check of the configured host alone would pass.
        let endpoint = PeerEndpoint(code: try ProvinceCode("31"), name: "上海", url: "https://localhost:\(federation["31"].peerPort)")
        for call in 0..<2 {
            await #expect {
                if call == 0 { _ = try await client.identity(of: endpoint) } else {
                    _ = try await client.request(endpoint, method: .POST, path: "/v1/query", json: Data("{}".utf8))
                }
            } throws: { error in
                let failure = error as? TongbanError
                return failure?.code == .identityMismatch && failure?.message.contains("does not speak for province 31") == true
            }
        }
        #expect(listener.requestsReceived == 0, "\(listener.requestsReceived) requests reached the wrong gateway")
        // The right certificate at the same address is served: 31's own, with 127.0.0.1.
        try await listener.close()
        let right = try await TwoKeyPeer(tlsDirectory: federation["31"].pki, published: federation["31"].pki, answering: federation["31"].pki,
                                         port: federation["31"].peerPort)
        #expect(try await client.identity(of: endpoint).province == "31")
        #expect(right.requestsReceived == 1)
        try await client.shutdown()
        try await right.close()
    }
}
