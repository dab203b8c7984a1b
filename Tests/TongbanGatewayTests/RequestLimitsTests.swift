import Foundation
import NIOHTTP1
import Testing
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanTestKit

/// The request-size limits on a live peer listener, set low through the environment: each answers with its
/// status and stable code, signed like every answer.
@Suite(.serialized) struct RequestLimitsTests {
    @Test func bodyHeaderAndSubjectLimitsAnswerWithTheirCodes() async throws {
        let federation = try TestFederation(provinces: ["11", "31"], catalogue: TestCatalogue.exchangeYAML())
        defer { federation.remove() }
        let beijing = try await RunningDaemon(federation["11"])
        let shanghai = try await RunningDaemon(federation["31"], environment: [
            "TONGBAN_LIMITS_MAX_REQUEST_BODY_BYTES": "4096", "TONGBAN_LIMITS_MAX_HEADER_BYTES": "4096",
            "TONGBAN_LIMITS_MAX_SUBJECTS_PER_QUERY": "5",
        ])
        let admin = AdminClient(socketPath: federation["11"].adminSocket)
        func query(_ count: Int) async throws -> OutboundResult {
            let subjects = (0..<count).map { CitizenID.make(addressCode: "310101", birthDate: "19700101", sequence: $0) }
            let body = QueryRequest(resource: TestCatalogue.household, matter: "medical-registration",
                                    requester: .init(departmentCode: "11010500", departmentName: "朝阳区公安分局", operatorId: "op-1"), subjects: subjects)
            return try await admin.post("/v1/outbound/query?peer=31", body: try JSONCoding.encoder().encode(body), as: OutboundResult.self)
        }
        func code(_ result: OutboundResult) -> String? {
            if case .string(let code)? = result.answer["code"] { code } else { nil }
        }
        #expect(try await query(5).status == 200)
        let tooMany = try await query(6)
        #expect(tooMany.status == 400 && code(tooMany) == "tongban.query.subjects")
        #expect(tooMany.answer["detail"].map { "\($0)" }?.contains("1 to 5") == true)
        let tooLarge = try await query(300)  // ≈ 7 KB of JSON
        #expect(tooLarge.status == 413 && code(tooLarge) == "tongban.body.too-large", "\(tooLarge)")

        // A head over 4 KiB (but under the parser's hard cap of twice that): 431 with a code, signed and verified.
        let client = try TLSClients.peerClient(as: federation["11"], federation: federation)
        let peer = GatewayConfiguration.Peer(code: try ProvinceCode("31"), name: "上海", url: federation["31"].peerURL)
        let big = try await client.request(peer, method: .POST, path: "/v1/ping", json: Data("{}".utf8),
                                           fields: [("X-Padding", String(repeating: "a", count: 5000))])
        #expect(big.status == 431)
        #expect(String(decoding: big.body, as: UTF8.self).contains("tongban.headers.too-large"))
        #expect(try await client.request(peer, method: .POST, path: "/v1/ping", json: Data("{}".utf8)).status == 200)
        try await client.shutdown()
        #expect(await shanghai.stop() == 0)
        #expect(await beijing.stop() == 0)
    }
}
