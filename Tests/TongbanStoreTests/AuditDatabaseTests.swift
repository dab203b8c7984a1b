import Dispatch
import Foundation
import GRDB
import Testing
import TongbanCore
import TongbanTestKit
@testable import TongbanStore

/// The audit log in `audit.sqlite`, a file of its own: exchanges are audited while an import holds the records'
/// write lock, and a store made before the split moves its log over without losing or changing an entry.
@Suite struct AuditDatabaseTests {
    func entry(_ index: Int) -> AuditEntry { StateStoreTests().entry(index) }

    /// An import's transaction (here held open on the records' writer) blocks neither an audit append nor the
    /// health check; lookups read the last committed state meanwhile, and the import commits afterwards.
    /// Before the split both waited for the whole import — 18 s for 10⁶ records in the benchmark.
    @Test func auditAppendsAndTheHealthCheckDoNotWaitForAnImport() async throws {
        let directory = try TemporaryDirectory("store")
        defer { directory.remove() }
        let store = try StateStore(directory: directory.path)
        let resource = "1010010001", subject = "11010519491231002X"
        _ = try await store.upsert(resource: resource, records: [(subject, #"{"name":"张三"}"#)])
        let importing = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let holder = Task {
            try await store.pool.write { db in
                try db.execute(sql: "UPDATE records SET fields = ? WHERE subject = ?", arguments: [#"{"name":"李四"}"#, subject])
                importing.signal()
                release.wait()
            }
        }
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { importing.wait(); continuation.resume() }
        }
        let finished = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                let stored = try await store.appendAudit(self.entry(1))
                try await store.ping()
                let seen = try await store.records(resource: resource, subjects: [subject])[subject]?.fieldsJSON
                return stored.sequence == 1 && seen == #"{"name":"张三"}"#
            }
            group.addTask {
                try await Task.sleep(for: .seconds(10))
                release.signal()  // so that the group, which waits for its tasks, can end and the test fail
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }
        if finished { release.signal() }
        try await holder.value
        #expect(finished, "an audit append, the health check or a lookup waited for the records' write transaction")
        #expect(try await store.records(resource: resource, subjects: [subject])[subject]?.fieldsJSON == #"{"name":"李四"}"#)
        #expect(AuditChain.verify(try await store.auditEntries()).ok)
    }

    /// A store from before the split: its log, in `tongban.sqlite`, is copied into `audit.sqlite` entry for entry
    /// (sequence, text, hash), removed from the old file, and the chain goes on from its last entry.
    @Test func aStoreFromBeforeTheSplitMovesItsLogOver() async throws {
        let source = try TemporaryDirectory("store"), legacy = try TemporaryDirectory("store")
        defer { source.remove(); legacy.remove() }
        let original = try await Self.writeLegacyStore(in: legacy, entries: 5, from: source)

        let store = try StateStore(directory: legacy.path)
        let moved = try await store.auditEntries()
        #expect(moved.map(\.sequence) == Array(1...5))
        #expect(moved.map(\.hash) == original.map(\.hash) && moved.map(\.requestId) == original.map(\.requestId))
        #expect(AuditChain.verify(moved).ok)
        #expect(try await !Self.hasLegacyTable(store), "the old file still holds the audit table")
        let next = try await store.appendAudit(entry(5))
        #expect(next.sequence == 6 && next.previousHash == moved.last?.hash)
        try store.closeFiles()

        // Opening again finds nothing left to move and changes nothing.
        let reopened = try StateStore(directory: legacy.path)
        #expect(try await reopened.auditEntries().count == 6)
        try reopened.closeFiles()
    }

    /// A start interrupted after the copy and before the old table was dropped finishes the job; a `tongban.sqlite`
    /// whose log differs from `audit.sqlite`'s (say, restored alone from a backup before the split) is refused and
    /// both files are left as they were.
    @Test func anInterruptedMoveFinishesAndAConflictingOneIsRefused() async throws {
        let source = try TemporaryDirectory("store"), legacy = try TemporaryDirectory("store"), other = try TemporaryDirectory("store")
        defer { source.remove(); legacy.remove(); other.remove() }
        _ = try await Self.writeLegacyStore(in: legacy, entries: 3, from: source)
        // As if the copy had committed and the process died: audit.sqlite holds the entries, tongban.sqlite still does too.
        try FileManager.default.copyItem(atPath: source.file(StateStore.auditFileName), toPath: legacy.file(StateStore.auditFileName))
        let store = try StateStore(directory: legacy.path)
        #expect(try await store.auditEntries().count == 3)
        #expect(try await !Self.hasLegacyTable(store))
        try store.closeFiles()

        // Now a different log appears in tongban.sqlite (another province's chain of 2 entries, starting at 1).
        let foreign = try TemporaryDirectory("store")
        defer { foreign.remove() }
        _ = try await Self.writeLegacyStore(in: other, entries: 2, from: foreign)
        let queue = try DatabaseQueue(path: legacy.file(StateStore.fileName))
        try await queue.write { db in
            try db.execute(sql: "ATTACH DATABASE ? AS other", arguments: [other.file(StateStore.fileName)])
            try db.execute(sql: "CREATE TABLE audit AS SELECT * FROM other.audit")
        }
        try queue.close()
        #expect {
            try StateStore(directory: legacy.path)
        } throws: { error in
            let message = (error as? TongbanError)?.message ?? ""
            return message.contains("nothing was changed") && message.contains("2 of the first's")
        }
        let audit = try DatabaseQueue(path: legacy.file(StateStore.auditFileName)), main = try DatabaseQueue(path: legacy.file(StateStore.fileName))
        #expect(try await audit.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM audit") } == 3)
        #expect(try await main.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM audit") } == 2)
    }

    /// Writes `entries` chained entries through a new store in `source`, then makes `directory` a store as it was
    /// before the split: `tongban.sqlite` migrated by `StoreMigrations` alone, its `audit` table holding those rows.
    static func writeLegacyStore(in directory: TemporaryDirectory, entries: Int, from source: TemporaryDirectory) async throws -> [AuditEntry] {
        let store = try StateStore(directory: source.path)
        for index in 0..<entries { _ = try await store.appendAudit(StateStoreTests().entry(index)) }
        let written = try await store.auditEntries()
        try store.closeFiles()
        let queue = try DatabaseQueue(path: directory.file(StateStore.fileName))
        try StoreMigrations.migrator.migrate(queue)
        try await queue.write { db in
            try db.execute(sql: "ATTACH DATABASE ? AS source", arguments: [source.file(StateStore.auditFileName)])
            try db.execute(sql: "INSERT INTO audit SELECT sequence, request_id, direction, time, entry, hash FROM source.audit")
        }
        try queue.close()
        return written
    }

    static func hasLegacyTable(_ store: StateStore) async throws -> Bool {
        try await store.pool.read { db in try db.tableExists("audit") }
    }
}
