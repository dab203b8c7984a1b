import Foundation
import Testing
import TongbanCore
import TongbanDemo
import TongbanPostgres
import TongbanStore
import TongbanTestKit

/// What replicas of one province need from the shared PostgreSQL store, with two `PostgresStore`s on one database
/// standing for two replicas: one chain, each request id served once, changes seen within the cache's age, outbox
/// messages taken by one replica at a time, and schema versions.
@Suite(.serialized) struct PostgresReplicaTests {
    static func pair(cacheSeconds: Int = 1) async throws -> (PostgresStore, PostgresStore, String) {
        let url = try TestPostgres.shared().makeDatabase("replica")
        let a = try await PostgresStore(settings: PostgresSettings(url: url, cacheSeconds: cacheSeconds))
        let b = try await PostgresStore(settings: PostgresSettings(url: url, cacheSeconds: cacheSeconds))
        return (a, b, url)
    }

    @Test func twoReplicasAppendToOneChain() async throws {
        let (a, b, _) = try await Self.pair()
        defer { Task { await a.close(); await b.close() } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                let store = index % 2 == 0 ? a : b
                group.addTask { _ = try await store.appendAudit(StoreConformanceTests.entry(index)) }
            }
            try await group.waitForAll()
        }
        let entries = try await a.auditEntries()
        #expect(entries.map(\.sequence) == Array(1...200))
        #expect(AuditChain.verify(entries).ok)
        #expect(try await b.auditChainLength() == 200)
    }

    @Test func aRequestIdIsServedOnceAcrossReplicas() async throws {
        let (a, b, _) = try await Self.pair()
        defer { Task { await a.close(); await b.close() } }
        var served = 0
        var replayed = 0
        for round in 0..<20 {
            let id = "dup-\(round)"
            let results = await withTaskGroup(of: TongbanError.Code?.self) { group in
                for store in [a, b, a] {
                    group.addTask { await StoreConformanceTests.code { _ = try await store.appendAudit(StoreConformanceTests.entry(round, requestId: id)) } }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            served += results.filter { $0 == nil }.count
            replayed += results.filter { $0 == .requestReplayed }.count
        }
        #expect(served == 20 && replayed == 40, "each id served once, its other two sendings refused as replays")
        // Another caller may use the same id; an outbound entry is not an inbound request.
        _ = try await a.appendAudit(StoreConformanceTests.entry(0, peer: "44", requestId: "dup-0"))
        _ = try await b.appendAudit(StoreConformanceTests.entry(0, direction: .outbound, requestId: "dup-0"))
        let entries = try await b.auditEntries()
        #expect(entries.count == 22 && AuditChain.verify(entries).ok, "refused entries leave no gap in the chain")
        #expect(try await b.recentInboundRequests(since: .distantPast).count == 21)
    }

    @Test func aGrantMadeOnOneReplicaIsInForceOnTheOtherWithinTheCacheAge() async throws {
        let (a, b, _) = try await Self.pair(cacheSeconds: 1)
        defer { Task { await a.close(); await b.close() } }
        #expect(try await b.grants().isEmpty)  // now cached on b
        let grant = Grant(id: "G-x", peer: "31", resource: "R", matter: "m", fields: ["name"], validFrom: Date(), validUntil: Date().addingTimeInterval(60))
        let made = ContinuousClock.now
        #expect(try await a.addGrant(grant) == nil)
        #expect(try await a.grants().map(\.id) == ["G-x"], "at once on the replica that made it")
        while try await b.grants().isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        let seen = ContinuousClock.now - made
        #expect(seen <= .milliseconds(1_300), "seen on the other replica after \(seen)")
        #expect(try await b.revokeGrant("G-x"))
        while try await a.grants().first?.revokedAt == nil { try await Task.sleep(for: .milliseconds(20)) }
        #expect(ContinuousClock.now - made <= .seconds(3))
    }

    @Test func anOutboxMessageIsTakenByOneReplicaAtATime() async throws {
        let (a, b, _) = try await Self.pair()
        defer { Task { await a.close(); await b.close() } }
        let now = Date()
        let id = "A-11-00000000000000aa"
        let submission = ApplicationSubmission(id: id, resource: "R", matter: "m", fields: [], purpose: "p", basis: "b", days: 1, contact: "c",
                                               requester: StoreConformanceTests.requester)
        let application = SharingApplication(id: id, direction: .incoming, peer: "11", submission: submission, fields: [], receivedAt: now,
                                             dueDate: CalendarDay("2026-10-20")!, expiresAt: now.addingTimeInterval(86_400), calendarWarning: nil,
                                             documentDigest: "d")
        _ = try await a.insertApplication(application)
        for index in 0..<10 {
            let message = OutboxMessage(peer: "11", path: "/p/\(index)", body: Data(), subject: id, nextAttemptAt: now)
            _ = try await a.updateApplication(id, grant: nil, outbox: { _ in message }, at: now) { $0 }
        }
        // `{ $0 }` changes nothing and returns the record, so each call enqueued one message.
        #expect(try await a.pendingOutboxCount() == 10)
        async let fromA = a.dueOutboxMessages(at: now, limit: 100)
        async let fromB = b.dueOutboxMessages(at: now, limit: 100)
        let (taken, other) = (try await fromA, try await fromB)
        #expect(taken.count + other.count == 10)
        #expect(Set(taken.map(\.id)).isDisjoint(with: other.map(\.id)), "no message handed to both")
        #expect(try await a.dueOutboxMessages(at: now.addingTimeInterval(30), limit: 100).isEmpty, "leased for a minute")
        #expect(try await b.dueOutboxMessages(at: now.addingTimeInterval(61), limit: 100).count == 10, "a lease that ran out is taken again")
    }

    @Test func aDatabaseMigratedByANewerReleaseIsRefused() async throws {
        let postgres = try TestPostgres.shared()
        let url = try postgres.makeDatabase("schema")
        let store = try await PostgresStore(settings: PostgresSettings(url: url))
        #expect(try await store.schemaVersion() == "1")
        await store.close()
        try postgres.sql("INSERT INTO tongban_schema(version, name) VALUES (99, 'from the future')", database: TestPostgres.database(of: url))
        let refusal = await Self.failure { _ = try await PostgresStore(settings: PostgresSettings(url: url)) }
        #expect(refusal?.code == .storeUnavailable && refusal?.message.contains("version 99") == true, "\(String(describing: refusal))")
    }

    @Test func replicasStartingTogetherMigrateOnce() async throws {
        let url = try TestPostgres.shared().makeDatabase("together")
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<4 { group.addTask { try await PostgresStore(settings: PostgresSettings(url: url)) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for store in stores { #expect(try await store.schemaVersion() == "1"); await store.close() }
        #expect(try TestPostgres.shared().sql("SELECT COUNT(*) FROM tongban_schema", database: TestPostgres.database(of: url)) == "1")
    }

    static func failure(_ body: () async throws -> Void) async -> TongbanError? {
        do { try await body(); return nil } catch { return error as? TongbanError ?? TongbanError(.internalError, "\(error)") }
    }

    @Test func badSettingsAreNamed() async throws {
        for (url, words) in [("mysql://u@h/db", "postgresql://"), ("postgresql://u@h/", "no database"), ("postgresql://h/db", "no user"),
                             ("postgresql://u@h/db?sslmode=maybe", "sslmode maybe")] {
            let refusal = await Self.failure { _ = try PostgresSettings(url: url) }
            #expect(refusal?.code == .configInvalid && refusal?.message.contains(words) == true, "\(url): \(String(describing: refusal))")
        }
        let secret = try PostgresSettings(url: "postgresql://u:hunter2@h:5433/db")
        #expect(!secret.redactedURL.contains("hunter2") && secret.port == 5433 && secret.tls == .verifyFull)
        // A database that does not answer is named, without its password, once the wait is over.
        let port = try TestPostgres.shared().port
        let refusal = await Self.failure {
            _ = try await PostgresStore(settings: PostgresSettings(url: "postgresql://tongban:wrong@127.0.0.1:\(port)/postgres?sslmode=disable",
                                                                   connectSeconds: 1))
        }
        #expect(refusal?.code == .storeUnavailable && refusal?.message.contains("wrong") == false, "\(String(describing: refusal))")
    }
}
