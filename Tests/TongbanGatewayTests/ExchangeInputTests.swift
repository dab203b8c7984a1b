import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TongbanClient
import TongbanCore
import TongbanTestKit

/// What a query or verify names, checked on live daemons: a subject named twice is refused where this gateway's
/// own callers enter (admin socket, local API) with its position, and answered once on the peer side; a claim on
/// a field the resource does not have says so, not that the matter does not need it.
@Suite(.serialized) struct ExchangeInputTests {
    static func detail(_ result: OutboundResult) -> String {
        if case .string(let detail)? = result.answer["detail"] { return detail }
        return ""
    }

    @Test func repeatedSubjectsAndClaimsOnFieldsTheResourceLacks() async throws {
        let f = try await ExchangeTests.Federation.start()
        let person = ExchangeTests.person, other = ExchangeTests.other
        let legacy = String(person.prefix(6)) + String(person.dropFirst(8).prefix(9))
        for (subjects, position) in [([person, other, person], "subject 3 of 3 repeats subject 1"),
                                     ([other, legacy, person], "subject 3 of 3 repeats subject 2")] {
            do {
                let answer = try await f.query(TestCatalogue.household, "medical-registration", subjects)
                Issue.record("a repeated subject was sent: \(answer)")
            } catch let error as TongbanError {
                #expect(error.code == .requestInvalid && error.message.contains(position), "\(error)")
                #expect(!error.message.contains(person), "the refusal must not echo the number")
            }
        }

        // A peer that sends a subject twice (here a crafted one) gets each subject once, records and not-found alike.
        let nobody = CitizenID.make(addressCode: "310101", birthDate: "19900101", sequence: 7)
        let client = try CraftingClient(tlsAs: f.federation["11"], signingKeyOf: f.federation["11"], target: f.federation["31"])
        let twice = try await client.send(.POST, "/v1/query", body: HardeningTests.query([person, nobody, person, legacy, nobody]))
        #expect(twice.status == 200, "\(twice.body)")
        let answer = try #require(try JSONSerialization.jsonObject(with: twice.rawBody) as? [String: Any])
        #expect((answer["records"] as? [[String: Any]])?.compactMap { $0["subject"] as? String } == [person], "\(twice.body)")
        #expect(answer["notFound"] as? [String] == [nobody], "\(twice.body)")
        let inbound = try await f.sh.get("/v1/audit?last=1", as: [AuditEntry].self)
        #expect(inbound.first?.subjectCount == 2, "the audit counts the subjects answered")
        try await client.http.shutdown()

        // Claims: a field the resource lacks, and one it has that the matter does not need.
        func verify(_ claims: [String: String]) async throws -> OutboundResult {
            let request = VerifyRequest(resource: TestCatalogue.household, matter: "medical-registration",
                                        requester: .init(departmentCode: "110105", departmentName: "医保局", operatorId: "op-1"),
                                        subject: person, claims: claims)
            return try await f.bj.post("/v1/outbound/verify?peer=31", body: try JSONCoding.encoder().encode(request), as: OutboundResult.self)
        }
        let missing = try await verify(["name": "王小明", "nickname": "小明"])
        #expect(missing.status == 403 && ExchangeTests.code(missing) == "tongban.policy.fields")
        #expect(Self.detail(missing).contains("field nickname does not exist in resource \(TestCatalogue.household)"), "\(missing.answer)")
        let unneeded = try await verify(["county": "310101"])
        #expect(unneeded.status == 403 && Self.detail(unneeded).contains("field county is not needed by matter medical-registration"),
                "\(unneeded.answer)")
        await f.stop()
        f.federation.remove()
    }

    /// A department system's query through the local API is refused the same way, before the peer is asked.
    @Test func theLocalAPIRefusesARepeatedSubject() async throws {
        let hash = SHA256.hash(data: Data(LocalAPITests.token.utf8)).map { String(format: "%02x", $0) }.joined()
        let departments = "departments:\n  - code: \"11010500\"\n    name: 朝阳区公安分局\n    tokenSHA256: \(hash)\n"
        let federation = try TestFederation(provinces: ["11", "31"], catalogue: TestCatalogue.exchangeYAML(), extraConfig: departments)
        defer { federation.remove() }
        let beijing = try await RunningDaemon(federation["11"])  // 31 is not even running: nothing may be sent
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var request = HTTPClientRequest(url: federation["11"].localURL + "/local/v1/peers/31/query")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(LocalAPITests.token)")
        let person = ExchangeTests.person
        let query = #"{"resource":"1010010001","matter":"medical-registration","subjects":["\#(person)","\#(person)"]}"#
        request.body = .bytes(ByteBuffer(string: query))
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
        #expect(response.status.code == 400 && body.contains("tongban.request.invalid"), "\(body)")
        #expect(body.contains("subject 2 of 2 repeats subject 1"), "\(body)")
        try await client.shutdown()
        #expect(await beijing.stop() == 0)
    }
}
