import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TongbanClient
import TongbanCore
import TongbanTestKit

/// Corrections (校核纠错) between two live daemons over mutual TLS: requested by 11 of a record 31 holds, resolved by
/// 31 — `corrected` only once the record really changed —, the outcome pushed or pulled back to 11, the refusals with
/// their codes, overdue corrections counted with the real calendar, both audit chains, and no personal value in a log.
@Suite(.serialized) struct CorrectionTests {
    static let person = ExchangeTests.person
    static let seen = "王小明"
    static let claimed = "汪晓明"
    static let evidence = "户口簿首页（登记日期2019年）姓名为汪晓明"
    static let header = "idNumber,name,gender,birthDate,address,county\n"
    static let token = "department-token-for-correction-tests-0123"

    static func row(name: String = seen, gender: String = "男") -> String {
        "\(person),\(name),\(gender),1980-05-12,上海市黄浦区南京东路1号,310101\n"
    }

    struct Pair {
        let federation: TestFederation
        var beijing: RunningDaemon
        var shanghai: RunningDaemon
        var bj: AdminClient { AdminClient(socketPath: federation["11"].adminSocket) }
        var sh: AdminClient { AdminClient(socketPath: federation["31"].adminSocket) }

        func ctl(_ province: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
            try Spawn.capture(BuiltProducts.tongbanctl, arguments + ["--socket", federation[province].adminSocket])
        }

        func importHousehold(_ rows: String) async throws -> ImportReport {
            try await sh.post("/v1/import?resource=\(TestCatalogue.household)&format=csv", body: Data((CorrectionTests.header + rows).utf8),
                              as: ImportReport.self)
        }

        func request(field: String = "name", seen: String = CorrectionTests.seen, claimed: String = CorrectionTests.claimed) async throws -> Correction {
            let draft = CorrectionDraft(peer: "31", resource: TestCatalogue.household, subject: CorrectionTests.person, field: field, seen: seen,
                                        claimed: claimed, evidence: CorrectionTests.evidence,
                                        requester: .init(departmentCode: "11010500", departmentName: "朝阳区公安分局", operatorId: "op-7"))
            return try await bj.post("/v1/corrections", body: try JSONCoding.encoder().encode(draft), as: CorrectionListing.self).correction
        }

        func show(_ client: AdminClient, _ id: String) async throws -> Correction {
            try await client.get("/v1/corrections/\(id)", as: CorrectionListing.self).correction
        }

        func resolve(_ id: String, _ outcome: CorrectionOutcome, reason: String) async throws(TongbanError) -> Correction {
            try await sh.post("/v1/corrections/\(id)/resolve", body: try! JSONCoding.encoder().encode(
                CorrectionResolution(outcome: outcome, reason: reason, operatorId: "审核员乙")), as: CorrectionListing.self).correction
        }

        /// Both audit chains verify, and each holds entries for correction `id` reaching `states`, with the subject's digest only.
        func auditsVerify(holding id: String, states: [String]) async throws {
            for client in [bj, sh] {
                #expect(try await client.get("/v1/audit/verify", as: AuditVerification.self).ok)
                let entries = try await client.get("/v1/audit", as: [AuditEntry].self).filter { $0.endpoint == "corrections/\(id)" }
                for state in states { #expect(entries.contains { $0.decision == state }, "no \(state) entry for \(id) in \(entries.map(\.decision))") }
                #expect(entries.allSatisfy { $0.subjectCount == 1 && $0.subjectDigest.count == 64 && $0.fields.count == 1 })
            }
        }
    }

    static func start(config: [String: String] = [:], shanghaiEnvironment: [String: String] = [:]) async throws -> Pair {
        let hash = SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
        let federation = try TestFederation(provinces: ["11", "31", "44"], catalogue: TestCatalogue.exchangeYAML(),
                                            extraConfig: "departments:\n  - code: \"11010500\"\n    name: 朝阳区公安分局\n    tokenSHA256: \(hash)\n")
        for (province, yaml) in config {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: federation[province].configPath))
            handle.seekToEndOfFile()
            handle.write(Data(("\n" + yaml).utf8))
            try handle.close()
        }
        let beijing = try await RunningDaemon(federation["11"])
        let shanghai = try await RunningDaemon(federation["31"], environment: shanghaiEnvironment)
        let pair = Pair(federation: federation, beijing: beijing, shanghai: shanghai)
        #expect(try await pair.importHousehold(row()).ok)
        return pair
    }

    @Test func correctedOnlyAfterTheRecordChangesAndEveryWrongStepIsRefused() async throws {
        // The provider records corrections as received on 2025-09-30: ten working days later is 2025-10-21, long past.
        let f = try await Self.start(config: ["11": "applications:\n  pullSeconds: 3600\n"],
                                     shanghaiEnvironment: [GatewayStateSeam.receivedAt: "2025-09-30T02:00:00Z"])
        defer { f.federation.remove() }
        let sent = try f.ctl("11", ["correction", "request", "--json", "--peer", "31", "--resource", TestCatalogue.household, "--subject", Self.person,
                                    "--field", "name", "--seen", Self.seen, "--claimed", Self.claimed, "--evidence", Self.evidence,
                                    "--department", "11010500", "--operator", "op-7"])
        #expect(sent.status == 0, "\(sent.output)")
        let requested = try JSONCoding.decoder().decode(CorrectionListing.self, from: Data(sent.output.utf8)).correction
        let id = requested.id
        #expect(id.hasPrefix("C-11-") && requested.direction == .outgoing && requested.state == .submitted)
        #expect(requested.dueDate == CalendarDay("2025-10-21"), "\(requested.dueDate)")
        let incoming = try await f.sh.get("/v1/corrections?direction=incoming", as: [CorrectionListing].self)
        #expect(incoming.map(\.correction.id) == [id] && incoming.first?.overdue == true)
        let held = try #require(incoming.first?.correction)
        #expect(held.subject == Self.person && held.seen == Self.seen && held.claimed == Self.claimed && held.evidence == Self.evidence && held.peer == "11")

        // Overdue on both sides: in the lists, the metric and status.
        let overdue = try f.ctl("31", ["corrections", "list", "--incoming", "--overdue"])
        #expect(overdue.status == 0 && overdue.output.contains(id) && overdue.output.contains("submitted, overdue"), "\(overdue.output)")
        #expect(try await ApplicationTests.metric(f.federation["31"], #"tongban_corrections_overdue{direction="incoming"}"#, 1))
        #expect(try await ApplicationTests.metric(f.federation["11"], #"tongban_corrections_overdue{direction="outgoing"}"#, 1))
        let status = try await f.sh.get("/v1/status", as: StatusDocument.self)
        #expect(status.warnings.contains { $0.contains("1 correction(s) of this province's records are past their due date") }, "\(status.warnings)")

        // Wrong steps: the requester cannot resolve, an unknown id is unknown, a reason is required.
        let own = try f.ctl("11", ["corrections", "resolve", id, "--outcome", "rejected", "--reason", "x"])
        #expect(own.status != 0 && own.output.contains("tongban.correction.forbidden"), "\(own.output)")
        let unknown = try f.ctl("31", ["corrections", "resolve", "C-11-0000000000000000", "--outcome", "rejected", "--reason", "x"])
        #expect(unknown.status != 0 && unknown.output.contains("tongban.correction.unknown"), "\(unknown.output)")
        let blank = try f.ctl("31", ["corrections", "resolve", id, "--outcome", "corrected", "--reason", " "])
        #expect(blank.status == 64 && blank.output.contains("--reason is empty"), "\(blank.output)")
        do {
            _ = try await f.resolve(id, .rejected, reason: " \n")
            Issue.record("an outcome without a reason was accepted")
        } catch { #expect(error.code == .correctionReasonRequired, "\(error)") }

        // `corrected` before the record changed is refused; so after a re-import of the same record, and after a change
        // of another field only.
        let early = try f.ctl("31", ["corrections", "resolve", id, "--outcome", "corrected", "--reason", "已更正"])
        #expect(early.status != 0 && early.output.contains("tongban.correction.unchanged"), "\(early.output)")
        #expect(try await f.importHousehold(Self.row()).unchanged == 1)
        do {
            _ = try await f.resolve(id, .corrected, reason: "已更正")
            Issue.record("corrected was accepted after an identical re-import")
        } catch { #expect(error.code == .correctionUnchanged, "\(error)") }
        #expect(try await f.importHousehold(Self.row(gender: "女")).updated == 1)
        do {
            _ = try await f.resolve(id, .corrected, reason: "已更正")
            Issue.record("corrected was accepted after a change of another field")
        } catch { #expect(error.code == .correctionUnchanged, "\(error)") }
        #expect(try await f.show(f.sh, id).state == .submitted)

        // The fixed record is imported: now it closes, and the outcome reaches the requester (pushed).
        #expect(try await f.importHousehold(Self.row(name: Self.claimed, gender: "女")).updated == 1)
        let corrected = try f.ctl("31", ["corrections", "resolve", id, "--outcome", "corrected", "--reason", "经核实户籍档案，已更正姓名", "--json"])
        #expect(corrected.status == 0, "\(corrected.output)")
        let closed = try JSONCoding.decoder().decode(CorrectionListing.self, from: Data(corrected.output.utf8)).correction
        #expect(closed.state == .corrected && closed.recordChangedAt != nil && closed.resolvedBy != nil, "\(closed)")
        let mirrored = try await ApplicationTests.eventually({ try await f.show(f.bj, id) }, until: { $0.state == .corrected })
        #expect(mirrored.state == .corrected && mirrored.reason == "经核实户籍档案，已更正姓名", "the outcome did not reach the requester")
        #expect(try await ApplicationTests.eventually({ try await f.show(f.sh, id) }, until: { $0.deliveredAt != nil }).deliveredAt != nil)
        // A second outcome is refused.
        let again = try f.ctl("31", ["corrections", "resolve", id, "--outcome", "rejected", "--reason", "改主意了"])
        #expect(again.status != 0 && again.output.contains("tongban.correction.resolved"), "\(again.output)")

        // Rejected with its reason; the requester learns it.
        let second = try await f.request(field: "gender", seen: "女", claimed: "男")
        let rejected = try f.ctl("31", ["corrections", "resolve", second.id, "--outcome", "rejected", "--reason", "出生医学证明记载为女"])
        #expect(rejected.status == 0, "\(rejected.output)")
        let rejectedThere = try await ApplicationTests.eventually({ try await f.show(f.bj, second.id) }, until: { $0.state == .rejected })
        #expect(rejectedThere.reason == "出生医学证明记载为女")
        // Withdrawn by the requester; resolving it afterwards is refused.
        let third = try await f.request(field: "address", seen: "上海市黄浦区南京东路1号", claimed: "上海市黄浦区南京东路3号")
        let withdraw = try f.ctl("11", ["corrections", "withdraw", third.id, "--reason", "已另行处理"])
        #expect(withdraw.status == 0 && withdraw.output.contains("withdrawn"), "\(withdraw.output)")
        #expect(try await f.show(f.sh, third.id).state == .withdrawn)
        let late = try f.ctl("31", ["corrections", "resolve", third.id, "--outcome", "rejected", "--reason", "x"])
        #expect(late.status != 0 && late.output.contains("tongban.correction.resolved"), "\(late.output)")
        // A request for a field the resource lacks is refused by the provider, and nothing is stored.
        do {
            _ = try await f.request(field: "nickname")
            Issue.record("a correction of a field the resource lacks was accepted")
        } catch let error as TongbanError { #expect(error.code == .requestInvalid, "\(error)") }
        // An outcome forged by 44, which does not hold the record, changes nothing.
        let fourth = try await f.request(field: "county", seen: "310101", claimed: "310104")
        let forger = try CraftingClient(tlsAs: f.federation["44"], signingKeyOf: f.federation["44"], target: f.federation["11"])
        let forged = try await forger.send(.POST, "/v1/corrections/\(fourth.id)/outcome", body: try JSONCoding.encoder().encode(
            CorrectionUpdate(id: fourth.id, state: .rejected, resolvedAt: Date(), reason: "伪造")))
        #expect(forged.status == 403 && forged.code == "tongban.correction.forbidden", "\(forged.body)")
        try await forger.http.shutdown()
        #expect(try await f.show(f.bj, fourth.id).state == .submitted)
        // The provider corrects that one by hand (records set, through the import's checks), then resolves it corrected.
        let badValue = try f.ctl("31", ["records", "set", "--resource", TestCatalogue.household, "--subject", Self.person, "--field", "county",
                                        "--value", "999999"])
        #expect(badValue.status != 0, "\(badValue.output)")
        #expect(try f.ctl("31", ["corrections", "resolve", fourth.id, "--outcome", "corrected", "--reason", "已更正"]).output
            .contains("tongban.correction.unchanged"))
        let edited = try f.ctl("31", ["records", "set", "--resource", TestCatalogue.household, "--subject", Self.person, "--field", "county",
                                      "--value", "310104"])
        #expect(edited.status == 0 && edited.output.contains("changed"), "\(edited.output)")
        let viaEdit = try f.ctl("31", ["corrections", "resolve", fourth.id, "--outcome", "corrected", "--reason", "已按户籍登记地更正"])
        #expect(viaEdit.status == 0, "\(viaEdit.output)")
        #expect(try await ApplicationTests.eventually({ try await f.show(f.bj, fourth.id) }, until: { $0.state == .corrected }).state == .corrected)

        let listed = try f.ctl("11", ["corrections", "list", "--outgoing"])
        #expect(listed.status == 0 && listed.output.contains("corrected") && listed.output.contains("rejected") && listed.output.contains("withdrawn"))
        try await f.auditsVerify(holding: id, states: ["submitted", "corrected"])
        try await f.auditsVerify(holding: second.id, states: ["submitted", "rejected"])
        try await f.auditsVerify(holding: third.id, states: ["submitted", "withdrawn"])
        #expect(await f.beijing.stop() == 0)
        #expect(await f.shanghai.stop() == 0)
        for log in [f.beijing.logText, f.shanghai.logText] {
            for secret in [Self.person, Self.seen, Self.claimed, Self.evidence, "出生医学证明", "南京东路3号"] {
                #expect(!log.contains(secret), "a personal value in a log: \(secret)")
            }
            #expect(log.contains(id))
        }
    }

    @Test func anOutcomeMadeWhileTheRequesterIsDownArrivesAfterItRestarts() async throws {
        // The provider pushes once, then waits an hour: the requester learns the outcome by pulling at its start.
        var f = try await Self.start(config: ["31": "applications:\n  retrySeconds: 3600\n", "11": "applications:\n  pullSeconds: 3600\n"])
        defer { f.federation.remove() }
        // The department requests it on the local API, and sees only its own.
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var post = HTTPClientRequest(url: f.federation["11"].localURL + "/local/v1/corrections")
        post.method = .POST
        post.headers.add(name: "Authorization", value: "Bearer \(Self.token)")
        post.body = .bytes(ByteBuffer(string: #"{"peer":"31","resource":"1010010001","subject":"\#(Self.person)","field":"name","seen":"\#(Self.seen)","claimed":"\#(Self.claimed)","evidence":"\#(Self.evidence)","operatorId":"op-9"}"#))
        let posted = try await client.execute(post, timeout: .seconds(30))
        let postedBody = try await posted.body.collect(upTo: 1 << 20)
        #expect(posted.status.code == 201, "\(String(buffer: postedBody))")
        let requested = try JSONCoding.decoder().decode(CorrectionListing.self, from: Data(postedBody.readableBytesView)).correction
        #expect(requested.requester.departmentCode == "11010500" && requested.requester.operatorId == "op-9")
        var list = HTTPClientRequest(url: f.federation["11"].localURL + "/local/v1/corrections")
        list.headers.add(name: "Authorization", value: "Bearer \(Self.token)")
        let listed = try await client.execute(list, timeout: .seconds(30))
        let mine = try JSONCoding.decoder().decode([CorrectionListing].self, from: Data(try await listed.body.collect(upTo: 1 << 20).readableBytesView))
        #expect(mine.map(\.correction.id) == [requested.id])
        try await client.shutdown()
        #expect(await f.beijing.stop() == 0)
        _ = try await f.resolve(requested.id, .rejected, reason: "与户籍档案一致，不予更正")
        let pending = try await ApplicationTests.eventually({ try await ApplicationTests.metric(f.federation["31"], "tongban_peer_outbox_pending", 1) },
                                                           until: { $0 })
        #expect(pending, "the undelivered outcome is not in the outbox")
        #expect(try await f.show(f.sh, requested.id).deliveredAt == nil)
        f.beijing = try await RunningDaemon(f.federation["11"])
        let pulled = try await ApplicationTests.eventually({ try await f.show(f.bj, requested.id) }, until: { $0.state == .rejected })
        #expect(pulled.state == .rejected && pulled.reason == "与户籍档案一致，不予更正", "the outcome did not arrive after the restart")
        try await f.auditsVerify(holding: requested.id, states: ["submitted", "rejected"])
        #expect(await f.beijing.stop() == 0)
        #expect(await f.shanghai.stop() == 0)
    }
}
