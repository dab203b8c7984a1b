import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TongbanClient
import TongbanCore
import TongbanTestKit

/// Records of use (使用记录) between two live daemons over mutual TLS: case references (办件编号) sent signed and kept in
/// both audits, required by a matter on both sides, and the usage report summed from each side's audit checked against
/// a known set of exchanges (table, --json, --csv, filters, time range). Province 44 never runs.
@Suite(.serialized) struct UsageReportTests {
    static let person = ExchangeTests.person
    static let other = ExchangeTests.other
    static let token = "department-token-for-usage-report-tests-01"
    static let chaoyang = Requester(departmentCode: "11010500", departmentName: "朝阳区公安分局", operatorId: "op-7")
    static let haidian = Requester(departmentCode: "11010800", departmentName: "海淀区医保局, \"窗口\"", operatorId: "op-8")

    @Test func caseReferencesAreSignedAuditedRequiredAndSummedOnBothSides() async throws {
        let hash = SHA256.hash(data: Data(Self.token.utf8)).map { String(format: "%02x", $0) }.joined()
        // household-transfer requires a case reference; medical-registration does not.
        let federation = try TestFederation(provinces: ["11", "31", "44"], catalogue: TestCatalogue.exchangeYAML(),
                                            extraConfig: "departments:\n  - code: \"11010500\"\n    name: 朝阳区公安分局\n    tokenSHA256: \(hash)\n") { manifest in
            manifest.matters = Matter.defaults.map { matter in
                var matter = matter
                if matter.code == "household-transfer" { matter.requiresCaseReference = true }
                return matter
            }
        }
        defer { federation.remove() }
        let started = Date()
        let beijing = try await RunningDaemon(federation["11"])
        let shanghai = try await RunningDaemon(federation["31"])
        let bj = AdminClient(socketPath: federation["11"].adminSocket)
        let sh = AdminClient(socketPath: federation["31"].adminSocket)
        let csv = "idNumber,name,gender,birthDate,address,county\n\(Self.person),王小明,男,1980-05-12,上海市黄浦区南京东路1号,310101\n"
            + "\(Self.other),李华,女,1985-01-01,上海市徐汇区漕溪路2号,310104\n"
        #expect(try await sh.post("/v1/import?resource=\(TestCatalogue.household)&format=csv", body: Data(csv.utf8), as: ImportReport.self).ok)
        #expect(try await bj.get("/v1/matters", as: [Matter].self).first { $0.code == "household-transfer" }?.needsCaseReference == true)

        func query(_ matter: String, _ subjects: [String], by requester: Requester = Self.chaoyang, fields: [String]? = nil,
                   caseReference: String? = nil) async throws(TongbanError) -> OutboundResult {
            let body = QueryRequest(resource: TestCatalogue.household, matter: matter, requester: requester, subjects: subjects, fields: fields,
                                    caseReference: caseReference)
            return try await bj.post("/v1/outbound/query?peer=31", body: try! JSONCoding.encoder().encode(body), as: OutboundResult.self)
        }
        // A: one subject, case BJ-2026-0001; B: two subjects, case BJ-2026-0002 (padded: kept trimmed).
        let a = try await query("household-transfer", [Self.person], caseReference: "BJ-2026-0001")
        #expect(a.status == 200, "\(a.answer)")
        let b = try await query("household-transfer", [Self.person, Self.other], caseReference: "  BJ-2026-0002 ")
        #expect(b.status == 200, "\(b.answer)")
        // C: a verify for case BJ-2026-0001 again, from the command line.
        let c = try Spawn.capture(BuiltProducts.tongbanctl, ["verify", "--peer", "31", "--resource", TestCatalogue.household, "--matter", "household-transfer",
                                                             "--subject", Self.person, "--claim", "gender=男", "--case-reference", "BJ-2026-0001",
                                                             "--department", "11010500", "--department-name", "朝阳区公安分局", "--socket", federation["11"].adminSocket])
        #expect(c.status == 0, "\(c.output)")
        // D: no case reference for a matter that requires one: refused here, nothing sent, nothing audited.
        do {
            _ = try await query("household-transfer", [Self.person])
            Issue.record("a query without its required case reference was sent")
        } catch { #expect(error.code == .caseReferenceRequired, "\(error)") }
        let cli = try Spawn.capture(BuiltProducts.tongbanctl, ["query", "--peer", "31", "--resource", TestCatalogue.household, "--matter", "household-transfer",
                                                               Self.person, "--socket", federation["11"].adminSocket])
        #expect(cli.status != 0 && cli.output.contains("tongban.case-reference.required"), "\(cli.output)")
        // E: allowed without one for a matter that does not require it; F: denied (a field the matter does not need).
        #expect(try await query("medical-registration", [Self.person], by: Self.haidian).status == 200)
        let f = try await query("medical-registration", [Self.person], by: Self.haidian, fields: ["county"])
        #expect(f.status == 403, "\(f.answer)")
        // H: the department on the local API, with its case reference.
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var request = HTTPClientRequest(url: federation["11"].localURL + "/local/v1/peers/31/query")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(Self.token)")
        request.body = .bytes(ByteBuffer(string: #"{"resource":"1010010001","matter":"household-transfer","subjects":["\#(Self.person)"],"caseReference":"BJ-2026-0003","operatorId":"op-9"}"#))
        let local = try await client.execute(request, timeout: .seconds(30))
        _ = try await local.body.collect(upTo: 1 << 20)
        try await client.shutdown()
        #expect(local.status.code == 200)
        // G: another implementation sends the query without the reference: the provider refuses it, and audits that.
        let crafted = try CraftingClient(tlsAs: federation["11"], signingKeyOf: federation["11"], target: federation["31"])
        let bare = try await crafted.send(.POST, "/v1/query", body: try JSONCoding.encoder().encode(
            QueryRequest(resource: TestCatalogue.household, matter: "household-transfer", requester: Self.chaoyang, subjects: [Self.person])))
        #expect(bare.status == 400 && bare.code == "tongban.case-reference.required", "\(bare.body)")
        try await crafted.http.shutdown()

        // Both audits hold the reference of each exchange under its request id, and both chains verify.
        let outbound = try await bj.get("/v1/audit?direction=out", as: [AuditEntry].self)
        let inbound = try await sh.get("/v1/audit?direction=in", as: [AuditEntry].self)
        for (result, reference) in [(a, "BJ-2026-0001"), (b, "BJ-2026-0002")] {
            #expect(outbound.first { $0.requestId == result.requestId }?.caseReference == reference)
            #expect(inbound.first { $0.requestId == result.requestId }?.caseReference == reference)
        }
        #expect(outbound.filter { $0.matter == "medical-registration" }.allSatisfy { $0.caseReference == nil })
        #expect(inbound.contains { $0.reasonCode == "tongban.case-reference.required" && $0.decision == "deny" && $0.caseReference == nil })
        #expect(outbound.filter { ["query", "verify"].contains($0.endpoint) }.count == 6, "\(outbound.map(\.endpoint))")
        for admin in [bj, sh] { #expect(try await admin.get("/v1/audit/verify", as: AuditVerification.self).ok) }
        // The verifier written from docs/protocol.md alone re-verifies both exports, case references included.
        for member in [federation["11"], federation["31"]] {
            let export = try AuditExportInteropTests.export(member.adminSocket)
            let lines = String(decoding: export.output, as: UTF8.self).split(separator: "\n").map(String.init)
            #expect(export.status == 0 && lines.contains { $0.contains("\"caseReference\":\"BJ-2026-0002\"") })
            let verified = try AuditExportInteropTests.verify(lines, at: member.home + "/export.jsonl")
            #expect(verified.status == 0 && verified.output.contains("verified"), "\(verified.output)")
        }

        // The outbound report: A, B, C and H for 朝阳 (household-transfer), E and F for 海淀 (medical-registration).
        let household = UsageRow(matter: "household-transfer", departmentCode: "11010500", departmentName: "朝阳区公安分局", peer: "31", exchanges: 4,
                                 allowed: 4, denied: 0, queries: 3, verifies: 1, subjects: 5, caseReferences: 3, withoutCaseReference: 0)
        let medical = UsageRow(matter: "medical-registration", departmentCode: "11010800", departmentName: Self.haidian.departmentName, peer: "31",
                               exchanges: 2, allowed: 1, denied: 1, queries: 2, verifies: 0, subjects: 1, caseReferences: 0, withoutCaseReference: 2)
        let ctl = { (province: String, arguments: [String]) throws -> (status: Int32, output: String) in
            try Spawn.capture(BuiltProducts.tongbanctl, ["usage", "report"] + arguments + ["--socket", federation[province].adminSocket])
        }
        let json = try ctl("11", ["--json", "--since", ISO8601.string(started.addingTimeInterval(-5))])
        #expect(json.status == 0, "\(json.output)")
        let report = try JSONCoding.decoder().decode(UsageReport.self, from: Data(json.output.utf8))
        #expect(report.direction == .outbound && report.rows == [household, medical], "\(report.rows)")
        #expect(report.total.exchanges == 6 && report.total.allowed == 5 && report.total.denied == 1 && report.total.subjects == 6
                && report.total.caseReferences == 3 && report.total.withoutCaseReference == 2, "\(report.total)")
        let csvReport = try ctl("11", ["--csv"])
        #expect(csvReport.status == 0)
        #expect(csvReport.output == "\"matter\",\"departmentCode\",\"departmentName\",\"peer\",\"exchanges\",\"allowed\",\"denied\",\"queries\",\"verifies\","
                + "\"subjects\",\"caseReferences\",\"withoutCaseReference\"\r\n"
                + "\"household-transfer\",\"11010500\",\"朝阳区公安分局\",\"31\",4,4,0,3,1,5,3,0\r\n"
                + "\"medical-registration\",\"11010800\",\"海淀区医保局, \"\"窗口\"\"\",\"31\",2,1,1,2,0,1,0,2\r\n", "\(csvReport.output)")
        let table = try ctl("11", [])
        #expect(table.status == 0 && table.output.contains("household-transfer") && table.output.contains("total"), "\(table.output)")
        let onlyHaidian = try JSONCoding.decoder().decode(UsageReport.self, from: Data(try ctl("11", ["--json", "--department", "11010800"]).output.utf8))
        #expect(onlyHaidian.rows == [medical] && onlyHaidian.total.exchanges == 2)
        let otherPeer = try JSONCoding.decoder().decode(UsageReport.self, from: Data(try ctl("11", ["--json", "--peer", "44"]).output.utf8))
        #expect(otherPeer.rows.isEmpty && otherPeer.total.exchanges == 0)
        let past = try JSONCoding.decoder().decode(UsageReport.self, from: Data(try ctl("11", ["--json", "--until", "2026-01-01"]).output.utf8))
        #expect(past.rows.isEmpty)
        let wrong = try ctl("11", ["--json", "--csv"])
        #expect(wrong.status == 64, "\(wrong.output)")

        // The provider's reciprocal picture: the same, plus G (denied, without a reference).
        let reciprocal = try JSONCoding.decoder().decode(UsageReport.self, from: Data(try ctl("31", ["--inbound", "--json"]).output.utf8))
        var householdIn = household
        householdIn.peer = "11"
        householdIn.exchanges = 5
        householdIn.denied = 1
        householdIn.queries = 4
        householdIn.withoutCaseReference = 1
        var medicalIn = medical
        medicalIn.peer = "11"
        #expect(reciprocal.direction == .inbound && reciprocal.rows == [householdIn, medicalIn], "\(reciprocal.rows)")
        #expect(reciprocal.total.exchanges == 7 && reciprocal.total.caseReferences == 3 && reciprocal.total.withoutCaseReference == 3)
        let inboundCSV = try ctl("31", ["--inbound", "--csv", "--department", "11010500"])
        #expect(inboundCSV.output.hasSuffix("\"household-transfer\",\"11010500\",\"朝阳区公安分局\",\"11\",5,4,1,4,1,5,3,1\r\n"), "\(inboundCSV.output)")
        #expect(try JSONCoding.decoder().decode(UsageReport.self, from: Data(try ctl("31", ["--json"]).output.utf8)).rows.isEmpty)

        #expect(await beijing.stop() == 0)
        #expect(await shanghai.stop() == 0)
        for log in [beijing.logText, shanghai.logText] { #expect(!log.contains(Self.person) && !log.contains(Self.other)) }
    }
}
