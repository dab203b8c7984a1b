import Foundation
import Testing
import TongbanCore

/// The correction workflow's state machine, without I/O: the rule behind `corrected`, the reasons, the final states,
/// who may do what, and the requester's mirror.
@Suite struct CorrectionTransitionTests {
    static let received = Date(timeIntervalSince1970: 1_790_000_000)
    static let subject = CitizenID.make(addressCode: "310101", birthDate: "19800512", sequence: 23)

    static func correction(_ direction: CorrectionDirection = .incoming, valueAtReceipt: String? = "\"王小明\"") -> Correction {
        let submission = CorrectionSubmission(id: "C-11-0123456789abcdef", resource: "1010010001", subject: subject, field: "name", seen: "王小明",
                                              claimed: "汪晓明", evidence: "户口簿",
                                              requester: Requester(departmentCode: "11010500", departmentName: "朝阳区公安分局", operatorId: "op"))
        return Correction(id: submission.id, direction: direction, peer: direction == .incoming ? "11" : "31", submission: submission,
                          subject: subject, receivedAt: received, dueDate: CalendarDay("2026-10-20")!, calendarWarning: nil,
                          valueAtReceipt: valueAtReceipt, documentDigest: "d")
    }

    static let later = received.addingTimeInterval(60)

    @Test(arguments: [
        // (the record now, accepted?)
        (RecordFieldState?.none, false),
        (RecordFieldState(value: "\"王小明\"", updatedAt: later), false),          // written again, same value
        (RecordFieldState(value: "\"汪晓明\"", updatedAt: received), false),        // other value, but not written since
        (RecordFieldState(value: "\"汪晓明\"", updatedAt: received.addingTimeInterval(-1)), false),
        (RecordFieldState(value: nil, updatedAt: later), true),                   // the field removed
        (RecordFieldState(value: "\"汪晓明\"", updatedAt: later), true),
    ])
    func correctedNeedsANewValueWrittenAfterReceipt(_ record: RecordFieldState?, _ accepted: Bool) throws {
        do {
            let next = try Self.correction().applying(.correct(reason: " 已更正 ", by: "审核员", record: record), at: Self.later)
            #expect(accepted && next.state == .corrected && next.reason == "已更正" && next.recordChangedAt == record?.updatedAt)
        } catch {
            #expect(!accepted && error.code == .correctionUnchanged, "\(error)")
        }
    }

    @Test func aFieldAbsentAtReceiptCountsAsChangedOnceItHasAValue() throws {
        let next = try Self.correction(valueAtReceipt: nil).applying(
            .correct(reason: "补录", by: "x", record: RecordFieldState(value: "\"汪晓明\"", updatedAt: Self.later)), at: Self.later)
        #expect(next.state == .corrected)
    }

    @Test func outcomesNeedAReasonAndAreFinal() throws {
        for event in [CorrectionEvent.reject(reason: " \n", by: "x"),
                      .correct(reason: "", by: "x", record: RecordFieldState(value: "\"汪晓明\"", updatedAt: Self.later))] {
            #expect(throws: TongbanError(.correctionReasonRequired, "")) { try Self.correction().applying(event, at: Self.later) }
        }
        let rejected = try Self.correction().applying(.reject(reason: "档案一致", by: "x"), at: Self.later)
        #expect(rejected.state == .rejected && rejected.resolvedAt == Self.later)
        for event in [CorrectionEvent.reject(reason: "again", by: "x"), .withdraw(reason: nil, by: "y")] {
            #expect(throws: TongbanError(.correctionResolved, "")) { try rejected.applying(event, at: Self.later) }
        }
        let withdrawn = try Self.correction().applying(.withdraw(reason: nil, by: "op"), at: Self.later)
        #expect(withdrawn.state == .withdrawn && withdrawn.reason == nil)
    }

    @Test func onlyTheProviderResolvesAndOnlyItsOutcomesAreMirrored() throws {
        let mine = Self.correction(.outgoing)
        #expect(throws: TongbanError(.correctionForbidden, "")) { try mine.applying(.reject(reason: "r", by: "x"), at: Self.later) }
        let update = CorrectionUpdate(id: mine.id, state: .rejected, resolvedAt: Self.later, reason: "档案一致")
        #expect(throws: TongbanError(.correctionForbidden, "")) { try mine.mirroring(update, from: try ProvinceCode("44")) }
        #expect(throws: TongbanError(.correctionReasonRequired, "")) {
            try mine.mirroring(CorrectionUpdate(id: mine.id, state: .corrected, resolvedAt: Self.later), from: try ProvinceCode("31"))
        }
        let mirrored = try #require(try mine.mirroring(update, from: try ProvinceCode("31")))
        #expect(mirrored.state == .rejected && mirrored.reason == "档案一致")
        #expect(try mirrored.mirroring(update, from: try ProvinceCode("31")) == nil)
        #expect(throws: TongbanError(.correctionResolved, "")) {
            try mirrored.mirroring(CorrectionUpdate(id: mine.id, state: .corrected, reason: "x"), from: try ProvinceCode("31"))
        }
        #expect(throws: TongbanError(.correctionForbidden, "")) { try Self.correction().mirroring(update, from: try ProvinceCode("31")) }
    }

    @Test func submissionsAreCheckedWithoutNamingValues() throws {
        let resource = PolicyTests.resource(.unconditional)
        var submission = Self.correction().submission
        #expect(try submission.check(resource: resource, caller: try ProvinceCode("11")) == Self.subject)
        #expect(throws: TongbanError(.requestInvalid, "")) { try submission.check(resource: resource, caller: try ProvinceCode("44")) }
        #expect(throws: TongbanError(.resourceUnknown, "")) { try submission.check(resource: nil, caller: try ProvinceCode("11")) }
        submission.subject = "110101199001011234"
        do {
            _ = try submission.check(resource: resource, caller: try ProvinceCode("11"))
            Issue.record("an invalid subject was accepted")
        } catch {
            #expect(error.code == .subjectInvalid && !error.message.contains("110101199001011234"))
        }
        submission.subject = Self.subject
        submission.claimed = submission.seen
        #expect(throws: TongbanError(.requestInvalid, "")) { try submission.check(resource: resource, caller: try ProvinceCode("11")) }
        #expect(CorrectionID.province(of: CorrectionID.make(province: try ProvinceCode("44")))?.rawValue == "44")
        #expect(!CorrectionID.isWellFormed("A-11-0123456789abcdef"))
    }
}
