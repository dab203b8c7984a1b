import Foundation
import Testing
@testable import TongbanCore

/// The application workflow's state machine and the provider's checks of a submission, without I/O.
@Suite struct ApplicationTransitionTests {
    static let requester = Requester(departmentCode: "11010500", departmentName: "朝阳区公安分局", operatorId: "op-7")
    static let received = Date(timeIntervalSince1970: 1_790_000_000)
    static let id = "A-11-0123456789abcdef"

    static func application(_ direction: ApplicationDirection = .incoming, peer: String = "11") -> SharingApplication {
        let submission = ApplicationSubmission(id: id, resource: "2030010001", matter: "degree-verification", fields: [], purpose: "学历核验",
                                               basis: "《政务数据共享条例》", days: 30, contact: "张三 010-12345678", requester: requester)
        return SharingApplication(id: id, direction: direction, peer: peer, submission: submission, fields: ["idNumber", "name", "school"],
                                  receivedAt: received, dueDate: CalendarDay("2026-10-20")!, expiresAt: received.addingTimeInterval(30 * 86_400),
                                  calendarWarning: nil, documentDigest: "d")
    }

    static func grant(fields: [String] = ["idNumber", "school"]) -> Grant {
        Grant(id: "G-12345678", peer: "11", resource: "2030010001", matter: "degree-verification", fields: fields, validFrom: received,
              validUntil: received.addingTimeInterval(86_400))
    }

    static func code(_ body: () throws(TongbanError) -> Any?) -> TongbanError.Code? {
        do { _ = try body(); return nil } catch { return error.code }
    }

    @Test func everyEventLeavesSubmittedOnceAndOnlyOnce() throws {
        let now = Self.received.addingTimeInterval(60)
        let events: [(ApplicationEvent, ApplicationState)] = [
            (.approve(Self.grant(), by: "admin"), .approved), (.refuse(reason: "依据不足", by: "admin"), .refused),
            (.withdraw(reason: nil, by: "op-7"), .withdrawn),
        ]
        for (event, state) in events {
            let decided = try Self.application().applying(event, at: now)
            #expect(decided.state == state && decided.decidedAt == now)
            for second in events.map(\.0) + [.expire] {
                #expect(Self.code { () throws(TongbanError) in try decided.applying(second, at: now) } == .applicationDecided, "\(state) then \(second)")
            }
        }
        let expired = try Self.application().applying(.expire, at: Self.received.addingTimeInterval(31 * 86_400))
        #expect(expired.state == .expired)
        #expect(Self.code { () throws(TongbanError) in try Self.application().applying(.expire, at: now) } == .requestInvalid)
    }

    @Test(arguments: ["", "   ", "\n\t "])
    func aRefusalWithoutAReasonIsRefused(_ reason: String) {
        #expect(Self.code { () throws(TongbanError) in try Self.application().applying(.refuse(reason: reason, by: "admin"), at: Self.received) }
                == .applicationReasonRequired)
    }

    @Test func onlyTheProviderDecidesAndAnApprovalGrantsNoMoreThanWasAskedFor() throws {
        let outgoing = Self.application(.outgoing, peer: "31")
        #expect(Self.code { () throws(TongbanError) in try outgoing.applying(.refuse(reason: "x", by: "a"), at: Self.received) } == .applicationForbidden)
        let wider = Self.grant(fields: ["idNumber", "degree"])
        #expect(Self.code { () throws(TongbanError) in try Self.application().applying(.approve(wider, by: "a"), at: Self.received) } == .requestInvalid)
    }

    @Test func theRequesterMirrorsItsProviderOnlyOnce() throws {
        let mine = Self.application(.outgoing, peer: "31")
        let approval = ApplicationUpdate(id: Self.id, state: .approved, decidedAt: Self.received, grant: Self.grant())
        let approved = try #require(try mine.mirroring(approval, from: ProvinceCode("31")))
        #expect(approved.state == .approved && approved.grant == Self.grant())
        #expect(try approved.mirroring(approval, from: ProvinceCode("31")) == nil, "the same decision twice changes nothing")
        #expect(try mine.mirroring(ApplicationUpdate(id: Self.id, state: .submitted), from: ProvinceCode("31")) == nil)
        let refusal = ApplicationUpdate(id: Self.id, state: .refused, decidedAt: Self.received, reason: "依据不足")
        #expect(Self.code { () throws(TongbanError) in try approved.mirroring(refusal, from: ProvinceCode("31")) } == .applicationDecided)
        #expect(Self.code { () throws(TongbanError) in try mine.mirroring(refusal, from: ProvinceCode("44")) } == .applicationForbidden)
        #expect(Self.code { () throws(TongbanError) in try Self.application().mirroring(refusal, from: ProvinceCode("11")) } == .applicationForbidden)
        let blank = ApplicationUpdate(id: Self.id, state: .refused, decidedAt: Self.received, reason: " ")
        #expect(Self.code { () throws(TongbanError) in try mine.mirroring(blank, from: ProvinceCode("31")) } == .applicationReasonRequired)
    }

    static func resource(_ code: String, _ share: ShareType) -> CatalogueResource {
        CatalogueResource(code: code, name: "学历", category: .init(kind: .theme, path: ["教育"]), provider: .init(name: "教育厅", code: "EDU"),
                          summary: "学历。", format: "json",
                          fields: [.init(name: "idNumber", title: "号码", type: .code), .init(name: "name", title: "姓名", type: .string, sensitive: true),
                                   .init(name: "school", title: "院校", type: .string), .init(name: "degree", title: "学历", type: .string)],
                          subjectField: "idNumber", sharing: .init(type: share), openType: .none, updateCycle: .monthly, publishedAt: "2024-01-15",
                          modifiedAt: "2024-01-15T00:00:00Z")
    }

    @Test func aSubmissionIsRefusedForTheSameReasonsAsAQuery() throws {
        let caller = try ProvinceCode("11")
        var submission = Self.application().submission
        submission.fields = []
        let conditional = Self.resource("2030010001", .conditional)
        #expect(try submission.check(resource: conditional, matters: Matter.defaults, caller: caller) == ["idNumber", "name", "school", "degree"])
        func code(_ submission: ApplicationSubmission, _ resource: CatalogueResource?, caller: ProvinceCode = caller) -> TongbanError.Code? {
            Self.code { () throws(TongbanError) in try submission.check(resource: resource, matters: Matter.defaults, caller: caller) }
        }
        #expect(code(submission, Self.resource("2030010001", .unconditional)) == .applicationNotNeeded)
        #expect(code(submission, Self.resource("2030010001", .none)) == .policyNotShared)
        #expect(code(submission, nil) == .resourceUnknown)
        #expect(code(submission, conditional, caller: try ProvinceCode("44")) == .requestInvalid, "an id of another province")
        var changed = submission
        changed.matter = "no-such-matter"
        #expect(code(changed, conditional) == .matterUnknown)
        changed = submission
        changed.matter = "household-transfer"
        #expect(code(changed, conditional) == .matterNotApplicable)
        changed = submission
        changed.fields = ["major"]
        #expect(code(changed, conditional) == .policyFields)
        changed = submission
        changed.purpose = "  "
        #expect(code(changed, conditional) == .requestInvalid)
        changed = submission
        changed.days = 0
        #expect(code(changed, conditional) == .requestInvalid)
    }

    @Test func idsNameTheirProvince() throws {
        let id = ApplicationID.make(province: try ProvinceCode("31"))
        #expect(ApplicationID.province(of: id) == (try ProvinceCode("31")) && id.count == 21)
        for bad in ["A-31-0123", "A-99-0123456789abcdef", "B-31-0123456789abcdef", "A-31-0123456789ABCDEF", "A-31-0123456789abcdef/../x"] {
            #expect(!ApplicationID.isWellFormed(bad), "\(bad)")
        }
    }
}
