import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TongbanClient
import TongbanCore
import TongbanTestKit

/// Sharing applications (共享申请) between two live daemons over mutual TLS: apply, decide, deliver (push and pull),
/// the refusals with their codes, overdue and expired applications counted with the real calendar, and both audit
/// chains afterwards. Province 44 is a member that never runs: a test signs as it to forge a decision.
@Suite(.serialized) struct ApplicationTests {
    static let person = ExchangeTests.person
    static let token = "department-token-for-application-tests-0123"
    static let purpose = "核验申请人学历（毕业证书遗失）"

    struct Pair {
        let federation: TestFederation
        var beijing: RunningDaemon
        var shanghai: RunningDaemon
        var bj: AdminClient { AdminClient(socketPath: federation["11"].adminSocket) }
        var sh: AdminClient { AdminClient(socketPath: federation["31"].adminSocket) }

        /// `tongbanctl ARGUMENTS --socket` of `province`'s daemon.
        func ctl(_ province: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
            try Spawn.capture(BuiltProducts.tongbanctl, arguments + ["--socket", federation[province].adminSocket])
        }

        func query() async throws -> OutboundResult {
            let body = QueryRequest(resource: TestCatalogue.education, matter: "degree-verification",
                                    requester: .init(departmentCode: "11010500", departmentName: "朝阳区公安分局", operatorId: "op-7"),
                                    subjects: [ApplicationTests.person])
            return try await bj.post("/v1/outbound/query?peer=31", body: try JSONCoding.encoder().encode(body), as: OutboundResult.self)
        }

        func apply(_ resource: String = TestCatalogue.education, matter: String = "degree-verification", fields: [String] = [],
                   days: Int = 90) async throws -> SharingApplication {
            let draft = ApplicationDraft(peer: "31", resource: resource, matter: matter, fields: fields, purpose: ApplicationTests.purpose,
                                         basis: "《政务数据共享条例》", days: days, contact: "张三 010-12345678",
                                         requester: .init(departmentCode: "11010500", departmentName: "朝阳区公安分局", operatorId: "op-7"))
            return try await bj.post("/v1/applications", body: try JSONCoding.encoder().encode(draft), as: ApplicationListing.self).application
        }

        func show(_ client: AdminClient, _ id: String) async throws -> SharingApplication {
            try await client.get("/v1/applications/\(id)", as: ApplicationListing.self).application
        }

        /// Both audit chains verify, and each holds entries for application `id` reaching `states`.
        func auditsVerify(holding id: String, states: [String]) async throws {
            for client in [bj, sh] {
                let verification = try await client.get("/v1/audit/verify", as: AuditVerification.self)
                #expect(verification.ok, "\(verification)")
                let entries = try await client.get("/v1/audit", as: [AuditEntry].self).filter { $0.endpoint == "applications/\(id)" }
                for state in states { #expect(entries.contains { $0.decision == state }, "no \(state) entry for \(id) in \(entries.map(\.decision))") }
            }
        }
    }

    /// Starts 11 (the requester) and 31 (the provider, with an education record); `config` adds YAML per province.
    static func start(config: [String: String] = [:], shanghaiEnvironment: [String: String] = [:],
                      prepare: (TestFederation) throws -> Void = { _ in }) async throws -> Pair {
        let hash = SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
        let federation = try TestFederation(provinces: ["11", "31", "44"], catalogue: TestCatalogue.exchangeYAML(),
                                            extraConfig: "departments:\n  - code: \"11010500\"\n    name: 朝阳区公安分局\n    tokenSHA256: \(hash)\n")
        for (province, yaml) in config {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: federation[province].configPath))
            handle.seekToEndOfFile()
            handle.write(Data(("\n" + yaml).utf8))
            try handle.close()
        }
        try prepare(federation)
        let beijing = try await RunningDaemon(federation["11"])
        let shanghai = try await RunningDaemon(federation["31"], environment: shanghaiEnvironment)
        let csv = "idNumber,name,school,degree\n\(person),王小明,复旦大学,硕士研究生\n"
        let report = try await AdminClient(socketPath: federation["31"].adminSocket)
            .post("/v1/import?resource=\(TestCatalogue.education)&format=csv", body: Data(csv.utf8), as: ImportReport.self)
        #expect(report.ok, "\(report.errors)")
        return Pair(federation: federation, beijing: beijing, shanghai: shanghai)
    }

    /// Asks `body` until `done` holds of its answer (or `timeout` passes, and the last answer is returned).
    static func eventually<T>(timeout: Duration = .seconds(30), _ body: () async throws -> T, until done: (T) -> Bool) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        var last = try await body()
        while !done(last), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            last = try await body()
        }
        return last
    }

    static func code(_ result: OutboundResult) -> String? {
        if case .string(let code)? = result.answer["code"] { return code }
        return nil
    }

    /// Whether `member`'s metrics hold `series` (name and labels as exposed) with the value `value`.
    static func metric(_ member: TestFederation.Member, _ series: String, _ value: Double) async throws -> Bool {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let response = try await client.execute(HTTPClientRequest(url: member.localURL + "/metrics"), timeout: .seconds(10))
        let text = String(buffer: try await response.body.collect(upTo: 8 << 20))
        try await client.shutdown()
        return text.split(separator: "\n").contains { line in
            line.hasPrefix(series + " ") && Double(line.dropFirst(series.count + 1)) == value
        }
    }

    @Test func applyThenApproveServesWhatWasRefusedAndEveryWrongStepIsRefused() async throws {
        // The requester pulls only once an hour here: the decisions it receives come by push.
        let f = try await Self.start(config: ["11": "applications:\n  pullSeconds: 3600\n"])
        defer { f.federation.remove() }
        let refused = try await f.query()
        #expect(refused.status == 403 && Self.code(refused) == "tongban.policy.no-grant", "\(refused.answer)")

        let apply = try f.ctl("11", ["apply", "--json", "--peer", "31", "--resource", TestCatalogue.education, "--matter", "degree-verification",
                                     "--fields", "idNumber,name,school", "--purpose", Self.purpose, "--basis", "《政务数据共享条例》第十五条",
                                     "--days", "90", "--contact", "张三 010-12345678", "--department", "11010500", "--operator", "op-7"])
        #expect(apply.status == 0, "\(apply.output)")
        let applied = try JSONCoding.decoder().decode(ApplicationListing.self, from: Data(apply.output.utf8)).application
        let id = applied.id
        #expect(id.hasPrefix("A-11-") && applied.direction == .outgoing && applied.state == .submitted)
        #expect(applied.dueDate == WorkdayCalendar.bundled.addingWorkingDays(10, to: CalendarDay(chinaDateOf: applied.receivedAt)).day)
        let incoming = try await f.sh.get("/v1/applications?direction=incoming", as: [ApplicationListing].self)
        #expect(incoming.map(\.application.id) == [id] && incoming.first?.application.purpose == Self.purpose, "\(incoming)")
        #expect(incoming.first?.application.dueDate == applied.dueDate && incoming.first?.application.peer == "11")
        #expect(try await f.bj.get("/v1/applications?direction=incoming", as: [ApplicationListing].self).isEmpty)

        // The requester cannot decide its own application, nor anyone decide one that does not exist.
        let own = try f.ctl("11", ["applications", "approve", id])
        #expect(own.status != 0 && own.output.contains("tongban.application.forbidden"), "\(own.output)")
        let unknown = try f.ctl("31", ["applications", "approve", "A-11-0000000000000000"])
        #expect(unknown.status != 0 && unknown.output.contains("tongban.application.unknown"), "\(unknown.output)")
        // An approval grants what was asked for, or less.
        let wider = try f.ctl("31", ["applications", "approve", id, "--fields", "idNumber,degree"])
        #expect(wider.status != 0 && wider.output.contains("was not asked for"), "\(wider.output)")

        let approve = try f.ctl("31", ["applications", "approve", id, "--clear", "name", "--json", "--operator", "审核员甲"])
        #expect(approve.status == 0, "\(approve.output)")
        let approved = try JSONCoding.decoder().decode(ApplicationListing.self, from: Data(approve.output.utf8)).application
        let grant = try #require(approved.grant)
        #expect(approved.state == .approved && grant.fields == ["idNumber", "name", "school"] && grant.clearFields == ["name"])
        let grants = try await f.sh.get("/v1/grants", as: [GrantListing].self)
        #expect(grants.map(\.grant.id) == [grant.id] && grants.first?.state == .active)

        let mirrored = try await Self.eventually({ try await f.show(f.bj, id) }, until: { $0.state == .approved })
        #expect(mirrored.state == .approved && mirrored.grant?.id == grant.id, "the decision did not reach the requester")
        let delivered = try await Self.eventually({ try await f.show(f.sh, id) }, until: { $0.deliveredAt != nil })
        #expect(delivered.deliveredAt != nil)

        let served = try await f.query()
        #expect(served.status == 200, "\(served.answer)")
        #expect(ExchangeTests.fields(served)["name"] == "王小明" && ExchangeTests.fields(served)["degree"] == nil)

        // A second decision, either way, is refused; so is an application for what needs none or is never shared.
        let again = try f.ctl("31", ["applications", "refuse", id, "--reason", "改主意了"])
        #expect(again.status != 0 && again.output.contains("tongban.application.decided"), "\(again.output)")
        let secondApproval = try JSONCoding.encoder().encode(ApplicationApproval(operatorId: "x"))
        do {
            _ = try await f.sh.post("/v1/applications/\(id)/approve", body: secondApproval, as: ApplicationListing.self)
            Issue.record("a second approval was made")
        } catch { #expect(error.code == .applicationDecided, "\(error)") }
        for (resource, matter, code) in [(TestCatalogue.household, "medical-registration", "tongban.application.not-needed"),
                                         (TestCatalogue.marriage, "marriage-registration", "tongban.policy.not-shared"),
                                         (TestCatalogue.education, "no-such-matter", "tongban.matter.unknown")] {
            let result = try f.ctl("11", ["apply", "--peer", "31", "--resource", resource, "--matter", matter, "--purpose", "p", "--basis", "b",
                                          "--contact", "c"])
            #expect(result.status != 0 && result.output.contains(code), "\(resource): \(result.output)")
        }

        // A refusal needs its reason; the requester receives it.
        let second = try await f.apply()
        let blank = try f.ctl("31", ["applications", "refuse", second.id, "--reason", "  "])
        #expect(blank.status == 64 && blank.output.contains("--reason is empty"), "\(blank.output)")
        let blankReason = try JSONCoding.encoder().encode(ApplicationStatement(reason: " \n", operatorId: "x"))
        do {
            _ = try await f.sh.post("/v1/applications/\(second.id)/refuse", body: blankReason, as: ApplicationListing.self)
            Issue.record("a refusal without a reason was made")
        } catch { #expect(error.code == .applicationReasonRequired, "\(error)") }
        let refuse = try f.ctl("31", ["applications", "refuse", second.id, "--reason", "用途与事项不符"])
        #expect(refuse.status == 0, "\(refuse.output)")
        let refusedThere = try await Self.eventually({ try await f.show(f.bj, second.id) }, until: { $0.state == .refused })
        #expect(refusedThere.state == .refused && refusedThere.reason == "用途与事项不符")

        // A department applies on the local API; the requester withdraws; a decision after that is refused.
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var request = HTTPClientRequest(url: f.federation["11"].localURL + "/local/v1/applications")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(Self.token)")
        request.body = .bytes(ByteBuffer(string: #"{"peer":"31","resource":"2030010001","matter":"degree-verification","purpose":"\#(Self.purpose)","basis":"条例","days":30,"contact":"李四","operatorId":"op-9"}"#))
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        try await client.shutdown()
        #expect(response.status.code == 201, "\(String(buffer: body))")
        let third = try JSONCoding.decoder().decode(ApplicationListing.self, from: Data(body.readableBytesView)).application
        #expect(third.requester.departmentCode == "11010500" && third.requester.operatorId == "op-9")
        let withdraw = try f.ctl("11", ["applications", "withdraw", third.id, "--reason", "已通过其他渠道核验"])
        #expect(withdraw.status == 0 && withdraw.output.contains("withdrawn"), "\(withdraw.output)")
        #expect(try await f.show(f.sh, third.id).state == .withdrawn)
        let late = try f.ctl("31", ["applications", "approve", third.id])
        #expect(late.status != 0 && late.output.contains("tongban.application.decided"), "\(late.output)")

        // A decision for 11's application from 44, which does not provide it, is refused and changes nothing.
        let fourth = try await f.apply()
        let forger = try CraftingClient(tlsAs: f.federation["44"], signingKeyOf: f.federation["44"], target: f.federation["11"])
        let forged = try await forger.send(.POST, "/v1/applications/\(fourth.id)/decision", body: try JSONCoding.encoder().encode(
            ApplicationUpdate(id: fourth.id, state: .refused, decidedAt: Date(), reason: "伪造")))
        #expect(forged.status == 403 && forged.code == "tongban.application.forbidden", "\(forged.body)")
        #expect(try await f.show(f.bj, fourth.id).state == .submitted)
        try await forger.http.shutdown()

        // A submission sent again under its id gets the same receipt; other content under that id, or an id of
        // another province, is refused.
        let requester = try CraftingClient(tlsAs: f.federation["11"], signingKeyOf: f.federation["11"], target: f.federation["31"])
        let resent = ApplicationSubmission(id: ApplicationID.make(province: try ProvinceCode("11")), resource: TestCatalogue.education,
                                           matter: "degree-verification", fields: ["idNumber"], purpose: Self.purpose, basis: "条例", days: 30,
                                           contact: "李四", requester: .init(departmentCode: "11010500", departmentName: "朝阳区公安分局", operatorId: "op-9"))
        let firstTime = try await requester.send(.POST, "/v1/applications", body: try JSONCoding.encoder().encode(resent))
        let secondTime = try await requester.send(.POST, "/v1/applications", body: try JSONCoding.encoder().encode(resent))
        #expect(firstTime.status == 201 && secondTime.status == 201, "\(firstTime.body) \(secondTime.body)")
        let receipts = try [firstTime, secondTime].map { try JSONCoding.decoder().decode(ApplicationReceipt.self, from: $0.rawBody) }
        #expect(receipts[0] == receipts[1] && receipts[0].fields == ["idNumber"])
        var changed = resent
        changed.fields = ["idNumber", "school"]
        let conflicting = try await requester.send(.POST, "/v1/applications", body: try JSONCoding.encoder().encode(changed))
        #expect(conflicting.status == 409 && conflicting.code == "tongban.application.duplicate", "\(conflicting.body)")
        changed.id = ApplicationID.make(province: try ProvinceCode("44"))
        let foreign = try await requester.send(.POST, "/v1/applications", body: try JSONCoding.encoder().encode(changed))
        #expect(foreign.status == 400 && foreign.code == "tongban.request.invalid", "\(foreign.body)")
        try await requester.http.shutdown()
        #expect(try await f.sh.get("/v1/applications?direction=incoming", as: [ApplicationListing].self).filter { $0.application.id == resent.id }.count == 1)

        // The department lists its own applications on the local API.
        let lister = HTTPClient(eventLoopGroupProvider: .singleton)
        var listing = HTTPClientRequest(url: f.federation["11"].localURL + "/local/v1/applications")
        listing.headers.add(name: "Authorization", value: "Bearer \(Self.token)")
        let listed = try await lister.execute(listing, timeout: .seconds(30))
        let mine = try JSONCoding.decoder().decode([ApplicationListing].self, from: Data(try await listed.body.collect(upTo: 1 << 20).readableBytesView))
        try await lister.shutdown()
        #expect(Set(mine.map(\.application.id)) == [id, second.id, third.id, fourth.id], "\(mine.map(\.application.id))")

        let lists = try f.ctl("11", ["applications", "list", "--outgoing"])
        #expect(lists.status == 0 && lists.output.contains(id) && lists.output.contains("approved") && lists.output.contains("refused"), "\(lists.output)")
        let shown = try f.ctl("31", ["applications", "show", second.id])
        #expect(shown.status == 0 && shown.output.contains("用途与事项不符") && shown.output.contains(Self.purpose), "\(shown.output)")
        try await f.auditsVerify(holding: id, states: ["submitted", "approved"])
        try await f.auditsVerify(holding: second.id, states: ["submitted", "refused"])
        try await f.auditsVerify(holding: third.id, states: ["submitted", "withdrawn"])
        #expect(await f.beijing.stop() == 0)
        #expect(await f.shanghai.stop() == 0)
        for log in [f.beijing.logText, f.shanghai.logText] {
            #expect(!log.contains(Self.purpose) && !log.contains("张三") && !log.contains(Self.person), "personal data or a purpose in a log")
            #expect(log.contains(id))
        }
    }

    @Test func aDecisionMadeWhileTheRequesterIsDownArrivesAfterBothRestart() async throws {
        // The provider pushes once, then waits an hour: the requester learns the decision by pulling at its start.
        var f = try await Self.start(config: ["31": "applications:\n  retrySeconds: 3600\n", "11": "applications:\n  pullSeconds: 3600\n"])
        defer { f.federation.remove() }
        let first = try await f.apply()
        #expect(await f.beijing.stop() == 0)
        _ = try await f.sh.post("/v1/applications/\(first.id)/approve", body: try JSONCoding.encoder().encode(ApplicationApproval(operatorId: "审核员甲")),
                                as: ApplicationListing.self)
        let pending = try await Self.eventually({ try await Self.metric(f.federation["31"], "tongban_peer_outbox_pending", 1) }, until: { $0 })
        #expect(pending, "the undelivered decision is not in the outbox")
        #expect(try await f.show(f.sh, first.id).deliveredAt == nil)
        // The provider restarts too: the decision waits in its outbox, on disk.
        #expect(await f.shanghai.stop() == 0)
        f.shanghai = try await RunningDaemon(f.federation["31"])
        #expect(try await Self.metric(f.federation["31"], "tongban_peer_outbox_pending", 1))
        f.beijing = try await RunningDaemon(f.federation["11"])
        let pulled = try await Self.eventually({ try await f.show(f.bj, first.id) }, until: { $0.state == .approved })
        #expect(pulled.state == .approved && pulled.grant != nil, "the decision did not arrive after the restarts")
        #expect(try await f.query().status == 200)
        try await f.auditsVerify(holding: first.id, states: ["submitted", "approved"])
        #expect(await f.beijing.stop() == 0)
        #expect(await f.shanghai.stop() == 0)
    }

    @Test func dueDatesUseTheRealCalendarAndOverdueOrExpiredApplicationsShow() async throws {
        // The provider records applications as received on 2025-09-30, a Tuesday before the National Day week.
        let received = "2025-09-30T02:00:00Z"
        let bundled = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/TongbanCore/Calendar/cn-workday-calendar.tsv")
        let tsv = try String(contentsOf: bundled, encoding: .utf8)
        func only(_ year: String) -> String { tsv.split(separator: "\n").filter { $0.hasPrefix(year) }.joined(separator: "\n") + "\n" }
        let f = try await Self.start(config: ["31": "calendar:\n  file: calendar.tsv\n"], shanghaiEnvironment: [GatewayStateSeam.receivedAt: received]) {
            try tsv.write(toFile: $0["31"].home + "/calendar.tsv", atomically: true, encoding: .utf8)
        }
        defer { f.federation.remove() }
        let calendarFile = f.federation["31"].home + "/calendar.tsv"

        // 1–8 October off, Saturday 11 October worked: the tenth working day after 30 September is 21 October.
        let overdue = try await f.apply(days: 3650)
        #expect(overdue.dueDate == CalendarDay("2025-10-21") && overdue.calendarWarning == nil, "\(overdue.dueDate)")
        #expect(overdue.dueDate == WorkdayCalendar.bundled.addingWorkingDays(10, to: CalendarDay("2025-09-30")!).day)
        // Asked for 30 days, undecided: expired on 30 October 2025, so at once; the requester is told.
        let expiring = try await f.apply(days: 30)
        let expired = try await Self.eventually({ try await f.show(f.bj, expiring.id) }, until: { $0.state == .expired })
        #expect(expired.state == .expired, "the expiry did not reach the requester")

        let listed = try f.ctl("31", ["applications", "list", "--overdue", "--json"])
        #expect(listed.status == 0, "\(listed.output)")
        let overdueThere = try JSONCoding.decoder().decode([ApplicationListing].self, from: Data(listed.output.utf8))
        #expect(overdueThere.map(\.application.id) == [overdue.id] && overdueThere.allSatisfy(\.overdue))
        let table = try f.ctl("11", ["applications", "list", "--outgoing", "--overdue"])
        #expect(table.output.contains(overdue.id) && table.output.contains("submitted, overdue") && !table.output.contains(expiring.id), "\(table.output)")
        #expect(try await Self.metric(f.federation["31"], #"tongban_applications_overdue{direction="incoming"}"#, 1))
        #expect(try await Self.metric(f.federation["11"], #"tongban_applications_overdue{direction="outgoing"}"#, 1))
        let status = try await f.sh.get("/v1/status", as: StatusDocument.self)
        #expect(status.warnings.contains { $0.contains("1 application(s) from peers are past their due date") }, "\(status.warnings)")

        // calendar.file is reloaded: with only 2026's arrangements, 2025's National Day is missed, and said so.
        try only("2026").write(toFile: calendarFile, atomically: true, encoding: .utf8)
        let reload = try f.ctl("31", ["reload"])
        #expect(reload.status == 0 && reload.output.contains("working-day calendar"), "\(reload.output)")
        let uncovered = try await f.apply(days: 3650)
        #expect(uncovered.dueDate == CalendarDay("2025-10-14") && uncovered.calendarWarning?.contains("does not cover 2025") == true,
                "\(uncovered.dueDate) \(uncovered.calendarWarning ?? "-")")
        // With only 2025's, the due dates counted today (2026) would be: status warns.
        try only("2025").write(toFile: calendarFile, atomically: true, encoding: .utf8)
        #expect(try f.ctl("31", ["reload"]).status == 0)
        let warned = try await f.sh.get("/v1/status", as: StatusDocument.self)
        let year = CalendarDay(chinaDateOf: Date()).year
        #expect(warned.warnings.contains { $0.contains("working-day calendar") && $0.contains("does not cover \(year)") }, "\(warned.warnings)")
        try "2025-13-01\tholiday\t错\n".write(toFile: calendarFile, atomically: true, encoding: .utf8)
        let broken = try f.ctl("31", ["reload"])
        #expect(broken.status != 0 && broken.output.contains("calendar.file"), "\(broken.output)")
        #expect(await f.shanghai.stop() == 0)
        #expect(f.shanghai.logText.contains("TEST SEAM"))
        try await Task.sleep(for: .milliseconds(10))
        #expect(await f.beijing.stop() == 0)
    }
}

/// The daemon's test seam, named once for the tests (`GatewayState.receivedAtSeam` in the gateway).
enum GatewayStateSeam {
    static let receivedAt = "TONGBAND_TESTING_RECEIVED_AT"
}
