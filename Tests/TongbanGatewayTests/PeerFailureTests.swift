import Foundation
import NIOHTTP1
import Testing
import TongbanClient
import TongbanCore
import TongbanSigning
import TongbanPKI
import TongbanConfig
import TongbanTestKit

/// A dead peer on live daemons: errors come within the configured timeout, the circuit opens and then fails
/// calls at once, `peers list` and the metrics show it, and it closes again when the peer returns.
@Suite(.serialized) struct PeerFailureTests {
    @Test func deadPeerGivesBoundedErrorsOpensTheCircuitAndClosesWhenItReturns() async throws {
        let federation = try TestFederation(provinces: ["11", "31"], catalogue: TestCatalogue.exchangeYAML())
        defer { federation.remove() }
        // 31's port accepts TCP connections and never answers: the worst kind of dead peer.
        let hole = try BlackHole(port: federation["31"].peerPort)
        let beijing = try await RunningDaemon(federation["11"], environment: [
            "TONGBAN_PEER_CLIENT_TIMEOUT_SECONDS": "1.5", "TONGBAN_PEER_CLIENT_CONNECT_TIMEOUT_SECONDS": "1",
            "TONGBAN_PEER_CLIENT_CIRCUIT_FAILURE_THRESHOLD": "3", "TONGBAN_PEER_CLIENT_CIRCUIT_OPEN_SECONDS": "2",
        ])
        let admin = AdminClient(socketPath: federation["11"].adminSocket)
        func query() async throws -> (status: Int, code: String?, elapsed: Duration) {
            let body = QueryRequest(resource: TestCatalogue.household, matter: "medical-registration",
                                    requester: .init(departmentCode: "11010500", departmentName: "朝阳区公安分局", operatorId: "op-1"),
                                    subjects: [ExchangeTests.person])
            let start = ContinuousClock.now
            do {
                let result = try await admin.post("/v1/outbound/query?peer=31", body: try JSONCoding.encoder().encode(body), as: OutboundResult.self)
                return (result.status, nil, ContinuousClock.now - start)
            } catch let error as TongbanError {
                let status = switch error.code { case .peerTimeout: 504; case .peerCircuitOpen: 503; case .peerUnreachable: 502; default: 500 }
                return (status, error.code.rawValue, ContinuousClock.now - start)
            }
        }
        var seen: [(status: Int, code: String?, elapsed: Duration)] = []
        var open: (status: Int, code: String?, elapsed: Duration)?
        for _ in 0..<8 {
            let answer = try await query()
            seen.append(answer)
            #expect(answer.elapsed < .milliseconds(3000), "bounded by the 1.5 s timeout: \(answer)")
            if answer.code == TongbanError.Code.peerCircuitOpen.rawValue { open = answer; break }
            #expect(answer.status == 504 || answer.status == 502, "\(answer)")
        }
        let opened = try #require(open, "the circuit never opened: \(seen)")
        #expect(opened.status == 503)
        #expect(opened.elapsed < .milliseconds(300), "an open circuit fails at once: \(opened.elapsed)")
        let listed = try Spawn.capture(BuiltProducts.tongbanctl, ["peers", "list", "--json", "--socket", federation["11"].adminSocket])
        #expect(listed.output.contains(#""circuit" : "open""#) || listed.output.contains(#""circuit":"open""#), "\(listed.output)")
        #expect(try await MetricsTests.scrape(federation["11"].localURL, in: federation.directory)
            .value("tongban_peer_circuit_state", ["peer": "31"]) == 2)

        // 31 comes back: after the open period the next call is the probe, it is answered, the circuit closes.
        hole.close()
        let shanghai = try await RunningDaemon(federation["31"])
        let csv = "idNumber,name,gender,birthDate,address,county\n\(ExchangeTests.person),王小明,男,1980-05-12,上海市黄浦区南京东路1号,310101\n"
        _ = try await AdminClient(socketPath: federation["31"].adminSocket).post(
            "/v1/import?resource=\(TestCatalogue.household)&format=csv", body: Data(csv.utf8), as: ImportReport.self)
        try await Task.sleep(for: .seconds(2))
        var served = try await query()
        for _ in 0..<20 where served.status != 200 {  // an in-flight probe from the catalogue refresh may hold the slot briefly
            try await Task.sleep(for: .milliseconds(250))
            served = try await query()
        }
        #expect(served.status == 200, "\(served)")
        let metrics = try await MetricsTests.scrape(federation["11"].localURL, in: federation.directory)
        #expect(metrics.value("tongban_peer_circuit_state", ["peer": "31"]) == 0)
        #expect(metrics.value("tongban_peer_up", ["peer": "31"]) == 1)
        #expect(beijing.logText.contains("peer circuit open") && beijing.logText.contains("peer circuit closed"), "\(beijing.logText)")
        #expect(await shanghai.stop() == 0)
        #expect(await beijing.stop() == 0)
    }
}

/// Retries stay inside one timeout: against a peer that slams every connection shut, a GET (with retries) and a
/// POST (never retried) both fail within `timeoutSeconds`, each call recorded once by the circuit breaker whatever
/// its attempts. 
@Suite struct PeerRetryTests {
    @Test func retriesAreBoundedByTheTimeout() async throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        let member = federation["11"]
        let client = PeerClient(credentials: try TLSClients.credentials(of: member), trust: FederationTrust(roots: [federation.ca.certificate]),
                                keys: try federation.peerKeys(of: member), resilience: PeerResilience(timeoutSeconds: 2, retries: 2, circuitFailureThreshold: 100))
        // 31's port accepts each connection and closes it at once: every attempt fails fast.
        let door = try SlammingDoor(port: federation["31"].peerPort)
        let peer = GatewayConfiguration.Peer(code: try ProvinceCode("31"), name: "上海", url: federation["31"].peerURL)
        var start = ContinuousClock.now
        await #expect(throws: TongbanError.self) { _ = try await client.identity(of: peer) }
        let getElapsed = ContinuousClock.now - start
        let afterGet = client.circuits.snapshot(peer.code).consecutiveFailures
        start = ContinuousClock.now
        await #expect(throws: TongbanError.self) { _ = try await client.request(peer, method: .POST, path: "/v1/ping", json: Data("{}".utf8)) }
        let postElapsed = ContinuousClock.now - start
        let afterPost = client.circuits.snapshot(peer.code).consecutiveFailures
        #expect(getElapsed < .milliseconds(2600) && postElapsed < .milliseconds(2600), "GET \(getElapsed), POST \(postElapsed)")
        #expect(afterGet == 1 && afterPost == 2)
        #expect(door.accepted >= 2, "the peer was tried")
        door.close()
        try await client.shutdown()
    }
}

/// A TCP port that accepts every connection and closes it at once.
final class SlammingDoor: @unchecked Sendable {
    private let hole: BlackHole
    private let lock = NSLock()
    private var count = 0
    private var open = true
    var accepted: Int { lock.withLock { count } }

    init(port: Int) throws {
        hole = try BlackHole(port: port)
        let thread = Thread { [self] in
            while lock.withLock({ open }) {
                let client = accept(hole.descriptor, nil, nil)
                if client >= 0 { lock.withLock { count += 1 }; Glibc.close(client) }
            }
        }
        thread.start()
    }

    func close() {
        lock.withLock { open = false }
        hole.close()
    }
}

/// A TCP port that accepts connections (the kernel completes them into the backlog) and never reads or answers.
final class BlackHole: @unchecked Sendable {
    private var fd: Int32
    var descriptor: Int32 { fd }

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, bound == 0, listen(fd, 64) == 0 else { throw DaemonFailure("cannot listen on port \(port)") }
    }

    func close() {
        if fd >= 0 { shutdown(fd, Int32(SHUT_RDWR)); Glibc.close(fd) }
        fd = -1
    }

    deinit { close() }
}
