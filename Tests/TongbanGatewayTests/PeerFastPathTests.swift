import Foundation
import NIOCore
import NIOSSL
import Testing
import TongbanClient
import TongbanCore
import TongbanSigning
import TongbanTestKit

/// What the peer fast path must keep of the connection handling it bypasses (docs/performance.md, "The fast path"):
/// a connection busy with fast-path queries is not closed as idle, a silent one still is; pipelined requests, fast
/// and general mixed, are answered in order; every answer it serves has its audit entry and counts in the metrics.
@Suite struct PeerFastPathTests {
    /// A signed query for `authority` as HTTP/1.1 bytes, and its request id.
    static func signedQuery(_ signer: MessageSigner, authority: String) throws -> (bytes: [UInt8], id: String) {
        let body = Array(#"{"resource":"\#(TestCatalogue.household)","matter":"medical-registration","requester":{"departmentCode":"11010500","departmentName":"朝阳区公安分局","operatorId":"op-7"},"subjects":["\#(ExchangeTests.person)"]}"#.utf8)
        let id = UUIDText.lowercased(UUIDText.timeOrdered())
        var view = HTTPMessageView.request(method: "POST", scheme: "https", authority: authority, target: "/v1/query", fields: [
            ("Tongban-Request-Id", id), ("Accept", "application/json"), ("Content-Type", "application/json"),
            (ContentDigest.fieldName, ContentDigest.field(for: body, algorithms: [signer.digestAlgorithm]))])
        let signed = try signer.sign(view, covering: TongbanProfile.requestComponents(hasBody: true))
        view.fields += [(SignatureFields.inputName, signed.input), (SignatureFields.signatureName, signed.signature)]
        var text = "POST /v1/query HTTP/1.1\r\nHost: \(authority)\r\n"
        for field in view.fields { text += "\(field.name): \(field.value)\r\n" }
        text += "Content-Length: \(body.count)\r\n\r\n"
        return (Array(text.utf8) + body, id)
    }

    static func signedCatalogueRequest(_ signer: MessageSigner, authority: String) throws -> (bytes: [UInt8], id: String) {
        let id = UUIDText.lowercased(UUIDText.timeOrdered())
        var view = HTTPMessageView.request(method: "GET", scheme: "https", authority: authority, target: "/v1/catalogue",
                                           fields: [("Tongban-Request-Id", id), ("Accept", "application/json")])
        let signed = try signer.sign(view, covering: TongbanProfile.requestComponents(hasBody: false))
        view.fields += [(SignatureFields.inputName, signed.input), (SignatureFields.signatureName, signed.signature)]
        var text = "GET /v1/catalogue HTTP/1.1\r\nHost: \(authority)\r\n"
        for field in view.fields { text += "\(field.name): \(field.value)\r\n" }
        return (Array((text + "\r\n").utf8), id)
    }

    struct Setup {
        let federation: TestFederation
        let daemon: RunningDaemon
        let signer: MessageSigner
        let endpoint: RawConnection.Endpoint
        let authority: String
        let answering: TestFederation.Member
    }

    static func setUp(idleTimeout: Int = 30) async throws -> Setup {
        let config = "limits:\n  peerRequestsPerSecond: 100000\n  peerBurst: 100000\n  idleTimeoutSeconds: \(idleTimeout)\n"
        let federation = try TestFederation(provinces: ["11", "31"], catalogue: TestCatalogue.exchangeYAML(), extraConfig: config)
        let (caller, answering) = (federation["11"], federation["31"])
        let daemon = try await RunningDaemon(answering)
        try await AdversarialTests.importPerson(into: answering)
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv13
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caller.pki + "/root.crt"))
        tls.certificateVerification = .noHostnameVerification
        tls.certificateChain = try NIOSSLCertificate.fromPEMFile(caller.pki + "/tls.crt").map { .certificate($0) }
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: caller.pki + "/tls.key", format: .pem))
        return Setup(federation: federation, daemon: daemon,
                     signer: try MessageSigner.province(key: caller.pki + "/signing.key", certificate: caller.pki + "/signing.crt"),
                     endpoint: .tls(host: "127.0.0.1", port: answering.peerPort, context: try NIOSSLContext(configuration: tls)),
                     authority: "127.0.0.1:\(answering.peerPort)", answering: answering)
    }

    @Test func aBusyConnectionOutlivesTheIdleTimeoutAndASilentOneDoesNot() async throws {
        let setup = try await Self.setUp(idleTimeout: 1)
        defer { setup.federation.remove() }
        let connection = try await RawConnection.open(setup.endpoint)
        // Three times the idle timeout of queries on one connection: the first takes the general path (it reads the
        // connection's identity), the rest the fast path; none may find the connection closed.
        let clock = ContinuousClock(), start = clock.now
        var answered = 0
        while clock.now - start < .seconds(3) {
            let query = try Self.signedQuery(setup.signer, authority: setup.authority)
            let reply = await connection.exchange(query.bytes)
            guard case .response(let response) = reply else { Issue.record("query \(answered + 1): \(reply)"); break }
            #expect(response.status == 200 && response.field("Tongban-Request-Id") == query.id)
            answered += 1
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(answered >= 20)
        let served = try await FastPathDifferentialTests.fastPathAnswers(setup.answering)
        #expect(served >= answered - 1, "fast path answers: \(served) of \(answered)")
        // Silent for twice the timeout: the server closes it.
        try await Task.sleep(for: .milliseconds(2500))
        let late = await connection.exchange(try Self.signedQuery(setup.signer, authority: setup.authority).bytes)
        if case .response = late { Issue.record("a connection silent for 2.5 s with a 1 s idle timeout still answered") }
        await connection.close()
        // Every answer served has its inbound entry.
        let entries = try await AdminClient(socketPath: setup.answering.adminSocket).get("/v1/audit", as: [AuditEntry].self).filter { $0.direction == .inbound }
        #expect(entries.filter { $0.endpoint == "query" && $0.status == 200 }.count == answered)
        #expect(await setup.daemon.stop() == 0)
    }

    @Test func pipelinedRequestsAreAnsweredInTheirOrder() async throws {
        let setup = try await Self.setUp()
        defer { setup.federation.remove() }
        let connection = try await RawConnection.open(setup.endpoint)
        // The connection's identity is read on its first request (general path); then four at once: fast, general,
        // fast, fast.
        let first = try Self.signedQuery(setup.signer, authority: setup.authority)
        guard case .response(let warm) = await connection.exchange(first.bytes) else { Issue.record("no answer"); return }
        #expect(warm.status == 200)
        let requests = [try Self.signedQuery(setup.signer, authority: setup.authority),
                        try Self.signedCatalogueRequest(setup.signer, authority: setup.authority),
                        try Self.signedQuery(setup.signer, authority: setup.authority),
                        try Self.signedQuery(setup.signer, authority: setup.authority)]
        var replies: [RawConnection.Reply] = [await connection.exchange(requests.flatMap(\.bytes))]
        for _ in 1..<requests.count { replies.append(await connection.exchange([])) }
        for (request, reply) in zip(requests, replies) {
            guard case .response(let response) = reply else { Issue.record("\(reply)"); continue }
            #expect(response.status == 200)
            #expect(response.field("Tongban-Request-Id") == request.id, "answers out of order")
        }
        let served = try await FastPathDifferentialTests.fastPathAnswers(setup.answering)
        // The first of the four on the fast path; after the request handed to Hummingbird, the rest follow it there.
        #expect(served == 1, "fast path answers: \(served)")
        await connection.close()
        #expect(await setup.daemon.stop() == 0)
    }
}
