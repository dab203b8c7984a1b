import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import GRDB
import Testing
import TongbanClient
import TongbanCore
import TongbanTestKit

/// Data requests between live daemons: policy, grants, masking, verify, limits, and both audit logs.
@Suite(.serialized) struct ExchangeTests {
    static let person = CitizenID.make(addressCode: "310101", birthDate: "19800512", sequence: 23)
    static let other = CitizenID.make(addressCode: "310104", birthDate: "19850101", sequence: 44)

    struct Federation {
        let federation: TestFederation
        let beijing: RunningDaemon
        let shanghai: RunningDaemon
        var bj: AdminClient { AdminClient(socketPath: federation["11"].adminSocket) }
        var sh: AdminClient { AdminClient(socketPath: federation["31"].adminSocket) }

        /// `prepare` runs on the federation's files before the daemons start; `sm2` names provinces that sign with SM2
        /// (the others P-256); `edit` changes the first manifest.
        static func start(prepare: (TestFederation) throws -> Void = { _ in }, sm2: Set<String> = [],
                          edit: (inout FederationManifest) -> Void = { _ in }) async throws -> Federation {
            let federation = try TestFederation(provinces: ["11", "31"], sm2: sm2, catalogue: TestCatalogue.exchangeYAML(), edit: edit)
            try prepare(federation)
            let beijing = try await RunningDaemon(federation["11"]), shanghai = try await RunningDaemon(federation["31"])
            let sh = AdminClient(socketPath: federation["31"].adminSocket)
            for (resource, csv) in [
                (TestCatalogue.household, "idNumber,name,gender,birthDate,address,county\n\(person),王小明,男,1980-05-12,上海市黄浦区南京东路1号,310101\n\(other),李华,女,1985-01-01,上海市徐汇区漕溪路2号,310104\n"),
                (TestCatalogue.education, "idNumber,name,school,degree\n\(person),王小明,复旦大学,硕士研究生\n"),
                (TestCatalogue.marriage, "idNumber,spouseIdNumber,status\n\(person),\(other),已婚\n"),
            ] {
                let report = try await sh.post("/v1/import?resource=\(resource)&format=csv", body: Data(csv.utf8), as: ImportReport.self)
                #expect(report.ok, "\(report.errors)")
            }
            return Federation(federation: federation, beijing: beijing, shanghai: shanghai)
        }

        func query(_ resource: String, _ matter: String, _ subjects: [String], fields: [String]? = nil) async throws -> OutboundResult {
            let body = QueryRequest(resource: resource, matter: matter, requester: .init(departmentCode: "11010500", departmentName: "朝阳区公安分局", operatorId: "op-7"),
                                    subjects: subjects, fields: fields)
            return try await bj.post("/v1/outbound/query?peer=31", body: try JSONCoding.encoder().encode(body), as: OutboundResult.self)
        }

        func stop() async {
            #expect(await beijing.stop() == 0)
            #expect(await shanghai.stop() == 0)
        }
    }

    static func fields(_ result: OutboundResult) -> [String: JSONValue] {
        if case .array(let records)? = result.answer["records"], case .object(let fields)? = records.first?["fields"] { return fields }
        return [:]
    }

    static func code(_ result: OutboundResult) -> String? {
        if case .string(let code)? = result.answer["code"] { return code }
        return nil
    }

    @Test func policyGrantsMaskingAndRefusals() async throws {
        let f = try await Federation.start()
        // 无条件共享: only the matter's fields (medical-registration needs no county), sensitive ones masked.
        let open = try await f.query(TestCatalogue.household, "medical-registration", [Self.person])
        #expect(open.status == 200, "\(open.answer)")
        let openFields = Self.fields(open)
        #expect(Set(openFields.keys) == ["idNumber", "name", "gender", "birthDate", "address"])
        #expect(openFields["idNumber"] == .string(String(Self.person.prefix(6)) + "********" + String(Self.person.suffix(4))))
        #expect(openFields["name"] == "王**")
        #expect(openFields["address"] == .string(String(repeating: "*", count: 12)))
        #expect(openFields["gender"] == "男")

        // 有条件共享: refused without a grant, served within it, refused again after revocation.
        let noGrant = try await f.query(TestCatalogue.education, "degree-verification", [Self.person])
        #expect(noGrant.status == 403 && Self.code(noGrant) == "tongban.policy.no-grant")
        let grant = try await f.sh.post("/v1/grants", body: try JSONCoding.encoder().encode(
            GrantRequest(peer: "11", resource: TestCatalogue.education, matter: "degree-verification", fields: ["idNumber", "name", "school"],
                         clearFields: ["name"], days: 30)), as: Grant.self)
        let granted = try await f.query(TestCatalogue.education, "degree-verification", [Self.person])
        #expect(granted.status == 200, "\(granted.answer)")
        #expect(Set(Self.fields(granted).keys) == ["idNumber", "name", "school"])
        #expect(Self.fields(granted)["name"] == "王小明")  // in clear, as granted
        #expect(Self.fields(granted)["idNumber"] != .string(Self.person))
        let outside = try await f.query(TestCatalogue.education, "degree-verification", [Self.person], fields: ["degree"])
        #expect(outside.status == 403 && Self.code(outside) == "tongban.policy.fields")
        _ = try await f.sh.post("/v1/grants/\(grant.id)/revoke", body: Data(), as: [String: String].self)
        let revoked = try await f.query(TestCatalogue.education, "degree-verification", [Self.person])
        #expect(revoked.status == 403 && Self.code(revoked) == "tongban.policy.no-grant")

        // 不予共享, unknown matter, a matter that does not need the resource, too many subjects.
        let closed = try await f.query(TestCatalogue.marriage, "marriage-registration", [Self.person])
        #expect(closed.status == 403 && Self.code(closed) == "tongban.policy.not-shared")
        let unknown = try await f.query(TestCatalogue.household, "no-such-matter", [Self.person])
        #expect(unknown.status == 400 && Self.code(unknown) == "tongban.matter.unknown")
        let notApplicable = try await f.query(TestCatalogue.household, "degree-verification", [Self.person])
        #expect(notApplicable.status == 403 && Self.code(notApplicable) == "tongban.matter.not-applicable")
        // 1,001 different numbers (the sequence has three digits, so the 1,001st is born a day later).
        let many = (0..<1001).map { CitizenID.make(addressCode: "310101", birthDate: "1970010\(1 + $0 / 1000)", sequence: $0 % 1000) }
        let tooMany = try await f.query(TestCatalogue.household, "medical-registration", many)
        #expect(tooMany.status == 400 && Self.code(tooMany) == "tongban.query.subjects")

        // Verify confirms or denies, and never carries a value.
        let claims = VerifyRequest(resource: TestCatalogue.household, matter: "medical-registration",
                                   requester: .init(departmentCode: "110105", departmentName: "医保局", operatorId: "op-1"),
                                   subject: Self.person, claims: ["name": "王小明", "birthDate": "1980-05-13"])
        let verified = try await f.bj.post("/v1/outbound/verify?peer=31", body: try JSONCoding.encoder().encode(claims), as: OutboundResult.self)
        #expect(verified.status == 200)
        #expect(verified.answer["results"] == ["name": .bool(true), "birthDate": .bool(false)])
        let text = String(decoding: try JSONCoding.encoder().encode(verified.answer), as: UTF8.self)
        #expect(!text.contains("1980-05-12") && !text.contains("上海市"))

        // Both sides hold the request id with the same signatures; no raw ID number in either log.
        let outbound = try await f.bj.get("/v1/audit?request=\(open.requestId)", as: [AuditEntry].self)
        let inbound = try await f.sh.get("/v1/audit?request=\(open.requestId)", as: [AuditEntry].self)
        #expect(outbound.count == 1 && inbound.count == 1)
        #expect(outbound.first?.direction == .outbound && inbound.first?.direction == .inbound)
        #expect(outbound.first?.requestSignature == inbound.first?.requestSignature)
        #expect(outbound.first?.responseSignature == inbound.first?.responseSignature)
        #expect(inbound.first?.departmentCode == "11010500" && inbound.first?.operatorId == "op-7" && inbound.first?.matter == "medical-registration")
        #expect(inbound.first?.fields.sorted() == ["address", "birthDate", "gender", "idNumber", "name"])
        let denied = try await f.sh.get("/v1/audit?request=\(closed.requestId)", as: [AuditEntry].self)
        // The gateway makes its request ids in time order (version 7), so the audit index grows at its end.
        #expect(open.requestId.count == 36 && open.requestId[open.requestId.index(open.requestId.startIndex, offsetBy: 14)] == "7")
        #expect(open.requestId < closed.requestId || open.requestId.prefix(13) == closed.requestId.prefix(13))
        #expect(denied.first?.decision == "deny" && denied.first?.reasonCode == "tongban.policy.not-shared")
        await f.stop()
        for log in [f.beijing.logText, f.shanghai.logText] { #expect(!log.contains(Self.person) && !log.contains("王小明")) }
        for side in ["11", "31"] {
            let raw = try String(contentsOfFile: f.federation[side].home + "/state/audit.sqlite", encoding: .isoLatin1)
            #expect(raw.contains("\"subjectDigest\":\""), "the audit log is not in audit.sqlite")
            #expect(!raw.contains("\"subjectDigest\":\"\(Self.person)"), "raw ID number in the audit")
        }
        f.federation.remove()
    }

    @Test func auditVerifyNamesTheFirstEditedDeletedOrMovedEntry() async throws {
        let f = try await Federation.start()
        for _ in 0..<4 { _ = try await f.query(TestCatalogue.household, "medical-registration", [Self.person]) }
        let database = try DatabaseQueue(path: f.federation["31"].home + "/state/audit.sqlite")
        func verify() throws -> (Int32, String) {
            let r = try Spawn.capture(BuiltProducts.tongbanctl, ["audit", "verify", "--socket", f.federation["31"].adminSocket])
            return (r.status, r.output)
        }
        #expect(try verify().0 == 0)
        // Edit entry 2.
        let original = try await database.read { try String.fetchOne($0, sql: "SELECT entry FROM audit WHERE sequence = 2")! }
        try await database.write { try $0.execute(sql: "UPDATE audit SET entry = ? WHERE sequence = 2", arguments: [original.replacingOccurrences(of: "\"subjectCount\":1", with: "\"subjectCount\":9")]) }
        var result = try verify()
        #expect(result.0 == 1 && result.1.contains("broken at entry 2"), "\(result.1)")
        try await database.write { try $0.execute(sql: "UPDATE audit SET entry = ? WHERE sequence = 2", arguments: [original]) }
        #expect(try verify().0 == 0)
        // Delete entry 3.
        try await database.write { db in
            try db.execute(sql: "CREATE TABLE audit_saved AS SELECT * FROM audit WHERE sequence = 3")
            try db.execute(sql: "DELETE FROM audit WHERE sequence = 3")
        }
        result = try verify()
        #expect(result.0 == 1 && result.1.contains("broken at entry 3"), "\(result.1)")
        try await database.write { db in
            try db.execute(sql: "INSERT INTO audit SELECT * FROM audit_saved")
            try db.execute(sql: "DROP TABLE audit_saved")
        }
        #expect(try verify().0 == 0)
        // Reorder entries 2 and 3.
        try await database.write { db in
            try db.execute(sql: "UPDATE audit SET sequence = -2 WHERE sequence = 2")
            try db.execute(sql: "UPDATE audit SET sequence = 2 WHERE sequence = 3")
            try db.execute(sql: "UPDATE audit SET sequence = 3 WHERE sequence = -2")
        }
        result = try verify()
        #expect(result.0 == 1 && result.1.contains("broken at entry 2"), "\(result.1)")
        try database.close()
        await f.stop()
        f.federation.remove()
    }

    @Test func anExchangeThatCannotBeAuditedIsRefused() async throws {
        let f = try await Federation.start()
        let database = try DatabaseQueue(path: f.federation["31"].home + "/state/audit.sqlite")
        try await database.write { try $0.execute(sql: "CREATE TRIGGER audit_full BEFORE INSERT ON audit BEGIN SELECT RAISE(FAIL, 'disk full'); END") }
        let refused = try await f.query(TestCatalogue.household, "medical-registration", [Self.person])
        #expect(refused.status == 503, "\(refused.answer)")
        #expect(Self.code(refused) == "tongban.audit.unavailable")
        #expect(refused.answer["records"] == nil)
        try await database.write { try $0.execute(sql: "DROP TRIGGER audit_full") }
        #expect(try await f.query(TestCatalogue.household, "medical-registration", [Self.person]).status == 200)
        try database.close()
        await f.stop()
        f.federation.remove()
    }
}

/// The local API for department systems, and a peer that is down.
@Suite(.serialized) struct LocalAPITests {
    static let token = "department-token-for-tests-0123456789"

    @Test func departmentsQueryWithTokensAndGetAClearErrorWhenThePeerIsDown() async throws {
        let hash = SHA256.hash(data: Data(Self.token.utf8)).map { String(format: "%02x", $0) }.joined()
        let federation = try TestFederation(provinces: ["11", "31"], catalogue: TestCatalogue.exchangeYAML(),
                                            extraConfig: "departments:\n  - code: \"11010500\"\n    name: 朝阳区公安分局\n    tokenSHA256: \(hash)\n")
        defer { federation.remove() }
        let beijing = try await RunningDaemon(federation["11"]), shanghai = try await RunningDaemon(federation["31"])
        let csv = "idNumber,name,gender,birthDate,address,county\n\(ExchangeTests.person),王小明,男,1980-05-12,上海市黄浦区南京东路1号,310101\n"
        _ = try await AdminClient(socketPath: federation["31"].adminSocket).post("/v1/import?resource=\(TestCatalogue.household)&format=csv", body: Data(csv.utf8), as: ImportReport.self)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        func post(_ token: String?, _ body: String) async throws -> (Int, String) {
            var request = HTTPClientRequest(url: federation["11"].localURL + "/local/v1/peers/31/query")
            request.method = .POST
            if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            request.headers.add(name: "Tongban-Operator", value: "op-42")
            request.body = .bytes(ByteBuffer(string: body))
            let response = try await client.execute(request, timeout: .seconds(30))
            return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
        }
        let query = #"{"resource":"1010010001","matter":"medical-registration","subjects":["\#(ExchangeTests.person)"]}"#
        let (status, body) = try await post(Self.token, query)
        #expect(status == 200, "\(body)")
        #expect(body.contains("\"records\"") && body.contains("王**"))
        #expect(try await post(nil, query).0 == 401)
        #expect(try await post("wrong", query).1.contains("tongban.local.unauthorized"))
        let inbound = try await AdminClient(socketPath: federation["31"].adminSocket).get("/v1/audit?last=1", as: [AuditEntry].self)
        #expect(inbound.first?.departmentCode == "11010500" && inbound.first?.operatorId == "op-42")

        #expect(await shanghai.stop() == 0)
        let start = ContinuousClock.now
        let (down, problem) = try await post(Self.token, query)
        #expect(down == 502, "\(problem)")
        #expect(problem.contains("tongban.peer.unreachable"))
        #expect(ContinuousClock.now - start < .seconds(10))
        try await client.shutdown()
        #expect(await beijing.stop() == 0)
    }
}
