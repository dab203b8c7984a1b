import Foundation
import GRDB
import Testing
import TongbanCore
import TongbanTestKit
@testable import TongbanStore

/// The store on a real SQLite file: group-committed audit appends and the caches in front of grants and
/// resource states.
@Suite struct StateStoreTests {
    func entry(_ index: Int) -> AuditEntry {
        AuditEntry(direction: .inbound, requestId: UUID().uuidString.lowercased(), peer: "31", endpoint: "query", departmentCode: "310105PSB",
                   departmentName: "上海市公安局", operatorId: "op-\(index)", matter: "household-transfer", resource: "1010010001",
                   subjectCount: 1, subjectDigest: String(repeating: "a", count: 64), fields: ["name"], decision: "allow",
                   reasonCode: "tongban.policy.unconditional", status: 200, requestSignature: "sig=:x:", responseSignature: "sig=:y:",
                   bytes: 100 + index, latencyMilliseconds: Double(index) / 7)
    }

    @Test func concurrentAppendsShareCommitsAndKeepOneUnbrokenChain() async throws {
        let directory = try TemporaryDirectory("store")
        defer { directory.remove() }
        let store = try StateStore(directory: directory.path)
        let stored = try await withThrowingTaskGroup(of: AuditEntry.self) { group in
            for index in 0..<300 { group.addTask { try await store.appendAudit(self.entry(index)) } }
            return try await group.reduce(into: [AuditEntry]()) { $0.append($1) }
        }
        // Every caller got its own sequence number back, 1…300 without gaps, and its own entry.
        #expect(stored.map(\.sequence).sorted() == Array(1...300))
        #expect(Set(stored.map(\.requestId)).count == 300)
        let entries = try await store.auditEntries()
        #expect(entries.count == 300)
        #expect(AuditChain.verify(entries).ok)
        for entry in stored { #expect(entries[entry.sequence - 1].requestId == entry.requestId && entries[entry.sequence - 1].hash == entry.hash) }
    }

    /// Each file's one writer commits with `synchronous = FULL` (every commit fsync'd), the store reopened too. GRDB's
    /// pool sets NORMAL on its writer when it turns WAL on; this read 1 until the store set FULL after opening.
    @Test func everyCommitIsSynchronous() async throws {
        let directory = try TemporaryDirectory("store")
        defer { directory.remove() }
        for _ in 0..<2 {
            let store = try StateStore(directory: directory.path)
            for pool in [store.pool, store.auditPool] {
                let level = try await pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
                #expect(level == 2)
                let mode = try await pool.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
                #expect(mode == "wal")
            }
            _ = try await store.appendAudit(entry(0))
        }
    }

    /// An import starts the kernel writing the records' WAL as it goes (`WALWriteback`): the call reaches
    /// `sync_file_range` on the store's real WAL, and says so when there is no WAL to write.
    @Test func importsStartTheirWALWriteback() async throws {
        let directory = try TemporaryDirectory("store")
        defer { directory.remove() }
        let store = try StateStore(directory: directory.path)
        let rows = (0..<(WALWriteback.rowsBetweenStarts + 10)).map { (subject: String(format: "S%07d", $0), fieldsJSON: #"{"name":"x"}"#) }
        let result = try await store.upsert(resource: "1010010001", records: rows)
        #expect(result.inserted == rows.count)
        let started = WALWriteback(databasePath: store.path).start()
        let startedWithoutWAL = WALWriteback(databasePath: directory.file("absent.sqlite")).start()
        #expect(started)
        #expect(!startedWithoutWAL)
    }

    @Test func aFailedCommitRefusesEveryEntryInItAndLaterAppendsRecover() async throws {
        let directory = try TemporaryDirectory("store")
        defer { directory.remove() }
        let store = try StateStore(directory: directory.path)
        _ = try await store.appendAudit(entry(0))
        try await store.auditPool.write { db in
            try db.execute(sql: "CREATE TRIGGER refuse BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'refused'); END")
        }
        await #expect(throws: TongbanError.self) { try await store.appendAudit(self.entry(1)) }
        try await store.auditPool.write { db in try db.execute(sql: "DROP TRIGGER refuse") }
        let next = try await store.appendAudit(entry(2))
        #expect(next.sequence == 2)
        #expect(AuditChain.verify(try await store.auditEntries()).ok)
    }

    /// A commit chains to the head it kept from the last one; a store opened afresh reads the head from the file.
    @Test func aReopenedStoreContinuesTheChainFromTheFile() async throws {
        let directory = try TemporaryDirectory("store")
        defer { directory.remove() }
        var store = try StateStore(directory: directory.path)
        for index in 0..<3 { _ = try await store.appendAudit(entry(index)) }
        try store.closeFiles()
        store = try StateStore(directory: directory.path)
        let fourth = try await store.appendAudit(entry(3))
        let fifth = try await store.appendAudit(entry(4))
        let entries = try await store.auditEntries()
        #expect(fourth.sequence == 4 && fourth.previousHash == entries[2].hash)
        #expect(fifth.sequence == 5 && fifth.previousHash == fourth.hash)
        #expect(entries.count == 5 && AuditChain.verify(entries).ok)
    }

    @Test func grantChangesAreSeenAtOnce() async throws {
        let directory = try TemporaryDirectory("store")
        defer { directory.remove() }
        let store = try StateStore(directory: directory.path)
        #expect(try await store.grants().isEmpty)  // cached now
        let grant = Grant(id: "g-1", peer: "31", resource: "1010010001", matter: "household-transfer", fields: ["name"],
                          validFrom: Date(), validUntil: Date().addingTimeInterval(3600))
        try await store.addGrant(grant)
        #expect(try await store.grants().map(\.id) == ["g-1"])
        #expect(try await store.revokeGrant("g-1"))
        #expect(try await store.grants().first?.revokedAt != nil)
    }

    /// One active grant per peer, resource and matter, even when two are added at once; an expired or revoked one
    /// does not stand in the way.
    @Test func anOverlappingActiveGrantIsNotStored() async throws {
        let directory = try TemporaryDirectory("store")
        defer { directory.remove() }
        let store = try StateStore(directory: directory.path)
        let now = Date()
        func grant(_ id: String, peer: String = "31", from: TimeInterval = -10, until: TimeInterval = 3600) -> Grant {
            Grant(id: id, peer: peer, resource: "2030010001", matter: "degree-verification", fields: ["name"],
                  validFrom: now.addingTimeInterval(from), validUntil: now.addingTimeInterval(until))
        }
        #expect(try await store.addGrant(grant("g-old", until: -1), at: now) == nil)
        let added = try await withThrowingTaskGroup(of: Grant?.self) { group in
            for id in ["g-a", "g-b", "g-c"] { group.addTask { try await store.addGrant(grant(id), at: now) } }
            return try await group.reduce(into: [Grant?]()) { $0.append($1) }
        }
        #expect(added.filter { $0 == nil }.count == 1, "exactly one of three concurrent grants is stored")
        let stored = try await store.grants()
        #expect(stored.count == 2 && stored.filter { $0.isActive(at: now) }.count == 1)
        let active = try #require(stored.first { $0.isActive(at: now) })
        #expect(added.compactMap { $0 }.allSatisfy { $0.id == active.id })
        #expect(try await store.addGrant(grant("g-44", peer: "44"), at: now) == nil, "another peer is another grant")
        #expect(try await store.revokeGrant(active.id))
        #expect(try await store.addGrant(grant("g-new"), at: now) == nil)
    }

    @Test func resourceStatesFollowImports() async throws {
        let directory = try TemporaryDirectory("store")
        defer { directory.remove() }
        let store = try StateStore(directory: directory.path)
        #expect(try await store.resourceStates().isEmpty)  // cached now
        _ = try await store.upsert(resource: "1010010001", records: [("11010519491231002X", #"{"name":"张三"}"#)])
        #expect(try await store.resourceStates()["1010010001"]?.recordCount == 1)
        _ = try await store.upsert(resource: "1010010001", records: [("110105194912310021", #"{"name":"李四"}"#)])
        #expect(try await store.resourceStates()["1010010001"]?.recordCount == 2)
    }
}

extension StateStoreTests {
    /// Commits never checkpoint (that stalled exchanges); `checkpoint()` copies the WAL into the database.
    @Test func walIsCheckpointedOnlyWhenAsked() async throws {
        let directory = try TemporaryDirectory("store")
        defer { directory.remove() }
        let store = try StateStore(directory: directory.path)
        for index in 0..<1500 { _ = try await store.appendAudit(entry(index)) }  // well past SQLite's 1,000-page default
        let wal = try walSize(store)
        #expect(wal > 1000 * 4096, "the WAL was checkpointed by a commit (\(wal) bytes)")
        let result = try await store.checkpoint().audit
        #expect(result.walFrames > 1000)
        #expect(result.checkpointed == result.walFrames)
        #expect(result.duration > .zero, "the checkpoint is timed")
        #expect(AuditChain.verify(try await store.auditEntries()).ok)
        let walAfter = try walSize(store)
        #expect(!result.restarted && walAfter > 1000 * 4096, "a passive checkpoint leaves the file as it is")
    }

    /// Past the limit the WAL starts again from its beginning: later commits reuse the file instead of growing it,
    /// and nothing committed is lost. (Under steady load passive checkpoints never let SQLite restart the WAL —
    /// the benchmark saw it grow from 352 to 585 MB in 10 s; that needs concurrent commits timed against the
    /// copy, so here the restart is asked for while the WAL holds more frames than the limit.)
    @Test func aWALPastTheLimitIsRestarted() async throws {
        let directory = try TemporaryDirectory("store")
        defer { directory.remove() }
        let store = try StateStore(directory: directory.path)
        for index in 0..<200 { _ = try await store.appendAudit(entry(index)) }
        let size = try walSize(store)
        let restart = try await store.checkpoint(restartingAbove: 100).audit
        #expect(restart.walFrames > 100 && restart.restarted)
        let again = try await store.checkpoint(restartingAbove: 100).audit
        #expect(again.walFrames == restart.walFrames && !again.restarted, "until a commit, SQLite still counts the old frames; nothing to redo")
        for index in 200..<210 { _ = try await store.appendAudit(entry(index)) }
        let after = try await store.checkpoint(restartingAbove: 100).audit
        #expect(after.walFrames < 100 && !after.restarted, "the commits after a restart are written from the WAL's beginning")
        let sizeAfter = try walSize(store)
        #expect(sizeAfter == size)
        let entries = try await store.auditEntries()
        #expect(entries.count == 210 && AuditChain.verify(entries).ok)
    }

    /// The size of the audit log's WAL, where the appends go.
    func walSize(_ store: StateStore) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: store.auditPath + "-wal")[.size] as? Int ?? -1
    }
}

extension StateStoreTests {
    /// One subject is read with a single statement, several inside one read transaction (both in `RecordLookup`):
    /// both give the same record, see every committed import at once, and leave no read snapshot open behind them.
    @Test func singleAndBatchLookupsAgreeAndSeeEveryCommit() async throws {
        let directory = try TemporaryDirectory("store")
        defer { directory.remove() }
        let store = try StateStore(directory: directory.path)
        let resource = "1010010001", first = "11010519491231002X", second = "110105194912310021"
        #expect(try await store.records(resource: resource, subjects: [first]).isEmpty)
        _ = try await store.upsert(resource: resource, records: [(first, #"{"name":"张三"}"#), (second, #"{"name":"李四"}"#)])
        let single = try await store.records(resource: resource, subjects: [first])
        let both = try await store.records(resource: resource, subjects: [first, second])
        #expect(single[first]?.fieldsJSON == #"{"name":"张三"}"#)
        #expect(single[first] == both[first])
        #expect(try await store.records(resource: "1010010002", subjects: [first]).isEmpty)
        // A change is visible to the next lookup (the connection's snapshot ended with its last statement).
        _ = try await store.upsert(resource: resource, records: [(first, #"{"name":"张三丰"}"#)])
        #expect(try await store.records(resource: resource, subjects: [first])[first]?.fieldsJSON == #"{"name":"张三丰"}"#)

        // Many concurrent lookups while audit entries commit: every answer right, nothing left holding the WAL.
        let answers = try await withThrowingTaskGroup(of: String?.self) { group in
            for index in 0..<400 {
                group.addTask {
                    if index % 4 == 0 { _ = try await store.appendAudit(self.entry(index)); return #"{"name":"张三丰"}"# }
                    return try await store.records(resource: resource, subjects: [first])[first]?.fieldsJSON
                }
            }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(answers.count == 400 && answers.allSatisfy { $0 == #"{"name":"张三丰"}"# })
        let checkpoint = try await store.checkpoint()
        for file in [checkpoint.records, checkpoint.audit] { #expect(file.walFrames > 0 && file.checkpointed == file.walFrames) }
    }

    /// Lookups read the records' file through a memory map (`RecordLookup.Connection.mappedBytes`); an import
    /// that grows the file past the mapped part, checkpointed into it, is seen at once, old records unchanged.
    @Test func lookupsReadTheMappedFileAndSeeImportsThatGrowIt() async throws {
        let directory = try TemporaryDirectory("store")
        defer { directory.remove() }
        let store = try StateStore(directory: directory.path)
        let resource = "1010010001"
        func subject(_ index: Int) -> String { String(format: "1101051949%08d", index) }
        func fields(_ index: Int) -> String { #"{"name":"张三","n":\#(index),"pad":""# + String(repeating: "x", count: 200) + #""}"# }
        _ = try await store.upsert(resource: resource, records: (0..<10).map { (subject($0), fields($0)) })
        try await store.checkpoint()
        #expect(try await store.records(resource: resource, subjects: [subject(3)])[subject(3)]?.fieldsJSON == fields(3))
        let maps = String(decoding: try #require(FileHandle(forReadingAtPath: "/proc/self/maps")).readDataToEndOfFile(), as: UTF8.self)
        #expect(maps.split(separator: "\n").contains { $0.hasSuffix(" " + store.path) }, "the records' file is not memory-mapped")
        let size = { try FileManager.default.attributesOfItem(atPath: store.path)[.size] as? Int ?? 0 }
        let before = try size()
        _ = try await store.upsert(resource: resource, records: (10..<3_000).map { (subject($0), fields($0)) })
        try await store.checkpoint()
        #expect(try size() > before * 10)
        let wanted = [0, 3, 9, 10, 1_500, 2_999].map(subject)
        let found = try await store.records(resource: resource, subjects: wanted)
        #expect(found.count == wanted.count)
        for (index, key) in zip([0, 3, 9, 10, 1_500, 2_999], wanted) { #expect(found[key]?.fieldsJSON == fields(index)) }
        #expect(try await store.records(resource: resource, subjects: [subject(2_999)])[subject(2_999)]?.fieldsJSON == fields(2_999))
    }

    /// The lookup connections are `query_only`: a write through one fails and changes nothing.
    @Test func lookupConnectionsCannotWrite() throws {
        let directory = try TemporaryDirectory("store")
        defer { directory.remove() }
        let store = try StateStore(directory: directory.path)
        let count = { try store.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM store_meta") ?? 0 } }
        let before = try count()
        #expect(before > 0)
        let connection = try RecordLookup.Connection(path: store.path)
        #expect(throws: TongbanError.self) { try connection.execute("DELETE FROM store_meta") }
        #expect(try count() == before)
    }
}

extension StateStoreTests {
    /// A re-import of identical records changes nothing: each counts as unchanged and keeps its `updatedAt`, and
    /// the resource's `modifiedAt` (published in the directory) stays — only a record whose fields differ moves it.
    @Test func identicalRecordsAreUnchangedAndKeepTheirTimes() async throws {
        let directory = try TemporaryDirectory("store")
        defer { directory.remove() }
        let store = try StateStore(directory: directory.path)
        let resource = "1010010001", first = "11010519491231002X", second = "110105194912310021"
        let day1 = Date(timeIntervalSince1970: 1_700_000_000), day2 = day1.addingTimeInterval(86_400), day3 = day2.addingTimeInterval(86_400)
        let records = [(subject: first, fieldsJSON: #"{"name":"张三"}"#), (subject: second, fieldsJSON: #"{"name":"李四"}"#)]
        let initial = try await store.upsert(resource: resource, records: records, at: day1)
        #expect(initial.inserted == 2 && initial.updated == 0 && initial.unchanged == 0)

        let again = try await store.upsert(resource: resource, records: records, at: day2)
        #expect(again.inserted == 0 && again.updated == 0 && again.unchanged == 2, "\(again)")
        #expect(try await store.resourceStates()[resource] == ResourceState(recordCount: 2, modifiedAt: day1))
        #expect(try await store.records(resource: resource, subjects: [first, second]).values.allSatisfy { $0.updatedAt == day1 })

        let one = try await store.upsert(resource: resource, records: [records[0], (second, #"{"name":"李四四"}"#)], at: day3)
        #expect(one.inserted == 0 && one.updated == 1 && one.unchanged == 1, "\(one)")
        #expect(try await store.resourceStates()[resource] == ResourceState(recordCount: 2, modifiedAt: day3))
        let stored = try await store.records(resource: resource, subjects: [first, second])
        #expect(stored[first]?.updatedAt == day1 && stored[second]?.updatedAt == day3)
    }
}
