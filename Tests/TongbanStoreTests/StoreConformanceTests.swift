import Crypto
import Foundation
import Testing
import TongbanCore
import TongbanDemo
import TongbanPostgres
import TongbanStore
import TongbanTestKit

/// One suite, both stores: every test runs on SQLite files and on a real PostgreSQL database (a private cluster
/// the tests start, `TestPostgres`). What a gateway relies on must hold on either.
@Suite(.serialized) struct StoreConformanceTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let requester = Requester(departmentCode: "11010500", departmentName: "朝阳区公安分局", operatorId: "op-7")

    /// A fresh, empty store of `kind`.
    static func open(_ kind: StoreKind) async throws -> any ProvinceStore {
        switch kind {
        case .sqlite: return try StateStore(directory: try TemporaryDirectory("conf").path + "/state")
        case .postgresql: return try await PostgresStore(settings: PostgresSettings(url: try TestPostgres.shared().makeDatabase()))
        }
    }

    static func entry(_ index: Int, peer: String = "31", direction: AuditEntry.Direction = .inbound, matter: String = "household-transfer",
                      decision: String = "allow", endpoint: String = "query", requestId: String? = nil, caseReference: String? = nil) -> AuditEntry {
        var entry = AuditEntry(direction: direction, requestId: requestId ?? "r-\(index)-" + UUID().uuidString.lowercased(), peer: peer,
                               endpoint: endpoint, departmentCode: "310105PSB", departmentName: "上海市公安局", operatorId: "op-\(index)",
                               matter: matter, resource: "1010010001", subjectCount: 1 + index % 3, subjectDigest: String(repeating: "a", count: 64),
                               fields: ["name"], decision: decision, reasonCode: "tongban.policy.unconditional", status: decision == "allow" ? 200 : 403,
                               requestSignature: "sig=:x:", responseSignature: "sig=:y:", bytes: 100 + index, latencyMilliseconds: Double(index) / 8)
        entry.time = now.addingTimeInterval(Double(index))
        entry.caseReference = caseReference
        return entry
    }

    static func code(_ body: () async throws -> Void) async -> TongbanError.Code? {
        do { try await body(); return nil } catch let error as TongbanError { return error.code } catch { return .internalError }
    }

    @Test(arguments: StoreKind.allCases) func importsCountNewChangedAndUnchangedRecords(kind: StoreKind) async throws {
        let store = try await Self.open(kind)
        defer { Task { await store.close() } }
        let first = try await store.upsert(resource: "R1", records: [("s1", #"{"a":1}"#), ("s2", #"{"a":2}"#), ("s3", #"{"a":3}"#)], at: Self.now)
        #expect(first == (3, 0, 0))
        let later = Self.now.addingTimeInterval(60)
        let second = try await store.upsert(resource: "R1", records: [("s1", #"{"a":1}"#), ("s2", #"{"a":22}"#), ("s4", #"{"a":4}"#)], at: later)
        #expect(second == (1, 1, 1))
        let found = try await store.records(resource: "R1", subjects: ["s1", "s2", "s4", "absent"])
        #expect(Set(found.keys) == ["s1", "s2", "s4"])
        #expect(found["s1"] == StoredRecord(subject: "s1", fieldsJSON: #"{"a":1}"#, updatedAt: Self.now), "an identical record keeps its time")
        #expect(found["s2"] == StoredRecord(subject: "s2", fieldsJSON: #"{"a":22}"#, updatedAt: later))
        #expect(try await store.records(resource: "R2", subjects: ["s1"]).isEmpty)
        #expect(try await store.resourceStates()["R1"] == ResourceState(recordCount: 4, modifiedAt: later))
        #expect(try await store.sampleSubjects(resource: "R1", limit: 2) == ["s1", "s2"])
        // An identical import changes nothing, not even the resource's time.
        #expect(try await store.upsert(resource: "R1", records: [("s1", #"{"a":1}"#)], at: later.addingTimeInterval(60)) == (0, 0, 1))
        #expect(try await store.resourceStates()["R1"]?.modifiedAt == later)
        // A large import, over several of PostgreSQL's statements, is counted whole.
        var batch = RecordBatch()
        for index in 0..<5_003 { batch.append(subject: String(format: "b%06d", index), fieldsJSON: #"{"n":\#(index)}"#) }
        #expect(try await store.upsert(resource: "R2", records: batch, at: later) == (5_003, 0, 0))
        #expect(try await store.resourceStates()["R2"]?.recordCount == 5_003)
        #expect(try await store.fieldState(resource: "R2", subject: "b005002", field: "n") == RecordFieldState(value: "5002", updatedAt: later))
    }

    @Test(arguments: StoreKind.allCases) func oneActiveGrantPerPeerResourceAndMatter(kind: StoreKind) async throws {
        let store = try await Self.open(kind)
        defer { Task { await store.close() } }
        func grant(_ id: String, peer: String = "31", until: TimeInterval = 3600) -> Grant {
            Grant(id: id, peer: peer, resource: "2030010001", matter: "degree-verification", fields: ["name"], validFrom: Self.now.addingTimeInterval(-10),
                  validUntil: Self.now.addingTimeInterval(until))
        }
        #expect(try await store.addGrant(grant("g-old", until: -1), at: Self.now) == nil, "an expired grant does not count")
        let results = try await withThrowingTaskGroup(of: Grant?.self) { group in
            for id in ["g-a", "g-b", "g-c"] { group.addTask { try await store.addGrant(grant(id), at: Self.now) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.filter { $0 == nil }.count == 1, "exactly one of three concurrent grants is stored")
        let active = try #require(results.compactMap { $0 }.first)
        #expect(try await store.addGrant(grant("g-44", peer: "44"), at: Self.now) == nil)
        #expect(try await store.grants().map(\.id).sorted() == ["g-44", "g-old", active.id].sorted())
        #expect(try await store.revokeGrant(active.id, at: Self.now))
        #expect(try await !store.revokeGrant(active.id, at: Self.now), "a revoked grant is not revoked twice")
        #expect(try await !store.revokeGrant("g-none", at: Self.now))
        #expect(try await store.grants().first { $0.id == active.id }?.revokedAt == Self.now)
        #expect(try await store.addGrant(grant("g-new"), at: Self.now) == nil)
    }

    @Test(arguments: StoreKind.allCases) func concurrentAppendsMakeOneVerifiableChain(kind: StoreKind) async throws {
        let store = try await Self.open(kind)
        defer { Task { await store.close() } }
        let stored = try await withThrowingTaskGroup(of: AuditEntry.self) { group in
            for index in 0..<300 {
                group.addTask { try await store.appendAudit(Self.entry(index, direction: index % 3 == 0 ? .outbound : .inbound)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(stored.map(\.sequence)) == Set(1...300))
        #expect(try await store.auditChainLength() == 300)
        let entries = try await store.auditEntries()
        #expect(entries.map(\.sequence) == Array(1...300))
        #expect(AuditChain.verify(entries).ok)
        #expect(entries == stored.sorted { $0.sequence < $1.sequence }, "entries read back are the entries appended")
        let one = try #require(stored.first)
        #expect(try await store.auditEntries(requestId: one.requestId).map(\.sequence) == [one.sequence])
        #expect(try await store.auditEntries(direction: .outbound).count == 100)
        #expect(try await store.auditEntries(requestId: nil, since: nil, until: nil, direction: nil, last: 5).map(\.sequence) == Array(296...300))
        let window = try await store.auditEntries(since: Self.now.addingTimeInterval(10), until: Self.now.addingTimeInterval(20))
        #expect(window.count == 10)
        let recent = try await store.recentInboundRequests(since: Self.now.addingTimeInterval(250))
        #expect(recent.count == 34 && recent.allSatisfy { $0.peer == "31" } && recent.map(\.time) == recent.map(\.time).sorted())
    }

    @Test(arguments: StoreKind.allCases) func theAuditHashSettingAppliesToNewEntries(kind: StoreKind) async throws {
        let store = try await Self.open(kind)
        defer { Task { await store.close() } }
        let first = try await store.appendAudit(Self.entry(1))
        store.auditHash = .sm3
        let second = try await store.appendAudit(Self.entry(2))
        #expect(first.hashAlgorithm == AuditHashAlgorithm.sha256.entryLabel && second.hashAlgorithm == "sm3")
        #expect(AuditChain.verify(try await store.auditEntries()).ok)
    }

    @Test(arguments: StoreKind.allCases) func theAuditSecretIsMadeOnceAndKept(kind: StoreKind) async throws {
        let store = try await Self.open(kind)
        defer { Task { await store.close() } }
        let first = try await store.auditSecret()
        let again = try await store.auditSecret()
        #expect(first.withUnsafeBytes { Data($0) } == again.withUnsafeBytes { Data($0) })
        #expect(first.bitCount == 256)
    }

    @Test(arguments: StoreKind.allCases) func applicationsDecideOnceAndTheirDecisionsGoThroughTheOutbox(kind: StoreKind) async throws {
        let store = try await Self.open(kind)
        defer { Task { await store.close() } }
        let id = "A-11-0123456789abcdef"
        let submission = ApplicationSubmission(id: id, resource: "2030010001", matter: "degree-verification", fields: [], purpose: "学历核验",
                                               basis: "《政务数据共享条例》", days: 30, contact: "张三 010-12345678", requester: Self.requester)
        let application = SharingApplication(id: id, direction: .incoming, peer: "11", submission: submission, fields: ["name"], receivedAt: Self.now,
                                             dueDate: CalendarDay("2026-10-20")!, expiresAt: Self.now.addingTimeInterval(30 * 86_400),
                                             calendarWarning: nil, documentDigest: "d")
        #expect(try await store.insertApplication(application) == nil)
        #expect(try await store.insertApplication(application) == application, "a resubmission finds the first")
        #expect(try await store.application(id: id) == application)
        #expect(try await store.applications(state: .submitted).map(\.id) == [id])
        #expect(try await store.applications(expiringBy: Self.now).isEmpty)
        #expect(try await store.applications(expiringBy: Self.now.addingTimeInterval(31 * 86_400)).map(\.id) == [id])

        let grant = Grant(id: "G-1", peer: "11", resource: "2030010001", matter: "degree-verification", fields: ["name"], validFrom: Self.now,
                          validUntil: Self.now.addingTimeInterval(86_400))
        // An overlapping grant refuses the approval and changes nothing.
        try await store.addGrant(Grant(id: "G-0", peer: "11", resource: "2030010001", matter: "degree-verification", fields: ["name"],
                                       validFrom: Self.now, validUntil: Self.now.addingTimeInterval(3600)), at: Self.now)
        let refused = await Self.code {
            _ = try await store.updateApplication(id, grant: grant, outbox: nil, at: Self.now) { application throws(TongbanError) in try application.applying(.approve(grant, by: "admin"), at: Self.now) }
        }
        #expect(refused == .requestInvalid)
        #expect(try await store.application(id: id)?.state == .submitted)
        #expect(try await store.revokeGrant("G-0", at: Self.now))

        let message = OutboxMessage(peer: "11", path: "/v1/applications/\(id)/decision", body: Data(#"{"d":1}"#.utf8), subject: id, nextAttemptAt: Self.now)
        let changed = try await store.updateApplication(id, grant: grant, outbox: { _ in message }, at: Self.now) { application throws(TongbanError) in
            try application.applying(.approve(grant, by: "admin"), at: Self.now)
        }
        #expect(changed?.before.state == .submitted && changed?.after.state == .approved)
        #expect(try await store.grants().contains { $0.id == "G-1" })
        let unknown = await Self.code { _ = try await store.updateApplication("A-none", at: Self.now) { $0 } }
        #expect(unknown == .applicationUnknown)

        #expect(try await store.pendingOutboxCount() == 1)
        #expect(try await store.dueOutboxMessages(at: Self.now.addingTimeInterval(-1), limit: 10).isEmpty)
        let due = try await store.dueOutboxMessages(at: Self.now, limit: 10)
        #expect(due.count == 1 && due.first?.body == message.body && due.first?.path == message.path && due.first?.nextAttemptAt == Self.now)
        let taken = try #require(due.first)
        try await store.recordOutboxAttempt(taken, delivered: false, abandoned: false, error: "peer down", retryAt: Self.now.addingTimeInterval(10),
                                            at: Self.now)
        let retried = try await store.dueOutboxMessages(at: Self.now.addingTimeInterval(10), limit: 10)
        #expect(retried.first?.attempts == 1 && retried.first?.lastError == "peer down")
        try await store.recordOutboxAttempt(taken, delivered: true, abandoned: false, error: nil, retryAt: Self.now, at: Self.now.addingTimeInterval(11))
        #expect(try await store.pendingOutboxCount() == 0)
        #expect(try await store.application(id: id)?.deliveredAt == Self.now.addingTimeInterval(11))
    }

    @Test(arguments: StoreKind.allCases) func correctionsDecideOnceAndTheirOutcomesGoThroughTheOutbox(kind: StoreKind) async throws {
        let store = try await Self.open(kind)
        defer { Task { await store.close() } }
        let subject = CitizenID.make(addressCode: "310101", birthDate: "19800512", sequence: 23)
        let submission = CorrectionSubmission(id: "C-11-0123456789abcdef", resource: "1010010001", subject: subject, field: "name", seen: "王小明",
                                              claimed: "汪晓明", evidence: "户口簿", requester: Self.requester)
        let correction = Correction(id: submission.id, direction: .incoming, peer: "11", submission: submission, subject: subject, receivedAt: Self.now,
                                    dueDate: CalendarDay("2026-10-20")!, calendarWarning: nil, valueAtReceipt: "\"王小明\"", documentDigest: "d")
        #expect(try await store.insertCorrection(correction) == nil)
        #expect(try await store.insertCorrection(correction) == correction)
        #expect(try await store.corrections(state: .submitted).map(\.id) == [correction.id])
        #expect(try await store.corrections(direction: .outgoing).isEmpty)
        let message = OutboxMessage(peer: "11", path: "/v1/corrections/\(correction.id)/outcome", body: Data("{}".utf8), subject: correction.id,
                                    nextAttemptAt: Self.now)
        let changed = try await store.updateCorrection(correction.id, outbox: { _ in message }, at: Self.now) { correction throws(TongbanError) in
            try correction.applying(.reject(reason: "证据不足", by: "admin"), at: Self.now)
        }
        #expect(changed?.after.state == .rejected)
        let due = try await store.dueOutboxMessages(at: Self.now, limit: 10)
        #expect(due.map(\.subject) == [correction.id])
        try await store.recordOutboxAttempt(due[0], delivered: true, abandoned: false, error: nil, retryAt: Self.now, at: Self.now)
        #expect(try await store.correction(id: correction.id)?.deliveredAt == Self.now)
        let unknown = await Self.code { _ = try await store.updateCorrection("C-none", at: Self.now) { $0 } }
        #expect(unknown == .correctionUnknown)
    }

    /// The same entries, appended in the same order, give both stores the same chain, byte for byte, and the same
    /// usage report: a log moved from one to the other verifies, and reports do not depend on the store.
    @Test func bothStoresKeepTheSameChainAndReport() async throws {
        let sqlite = try await Self.open(.sqlite)
        let postgres = try await Self.open(.postgresql)
        defer { Task { await sqlite.close(); await postgres.close() } }
        let entries = (0..<40).map { index in
            Self.entry(index, peer: ["31", "44"][index % 2], direction: index % 5 == 0 ? .inbound : .outbound,
                       matter: ["household-transfer", "degree-verification"][index % 3 == 0 ? 0 : 1], decision: index % 4 == 0 ? "deny" : "allow",
                       endpoint: index % 7 == 0 ? "verify" : "query", caseReference: index % 2 == 0 ? "case-\(index / 4)" : nil)
        }
        for entry in entries {
            _ = try await sqlite.appendAudit(entry)
            _ = try await postgres.appendAudit(entry)
        }
        let (a, b) = (try await sqlite.auditEntries(), try await postgres.auditEntries())
        #expect(a == b && a.count == 40)
        for direction in [AuditEntry.Direction.inbound, .outbound] {
            let query = UsageQuery(range: AuditQuery(since: Self.now.addingTimeInterval(3), until: Self.now.addingTimeInterval(38), direction: direction))
            let (x, y) = (try await sqlite.usage(query), try await postgres.usage(query))
            #expect(x == y, "\(direction)")
            #expect(x.total.exchanges > 0)
            let byPeer = UsageQuery(range: AuditQuery(direction: direction), peer: "44", department: "310105PSB")
            #expect(try await sqlite.usage(byPeer) == (try await postgres.usage(byPeer)))
        }
    }
}
