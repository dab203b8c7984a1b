import Foundation
import GRDB
import Synchronization
import TongbanCore

extension StateStore {
    /// Inserts or replaces `records` of `resource` in one transaction: all of them or, on any failure, none.
    /// Returns how many were new, how many replaced different fields, and how many were identical to what was
    /// stored: those are not written, so their `updatedAt` stays, and when nothing changed neither does the
    /// resource's `modifiedAt` (nor, through it, the published directory's version).
    public func upsert(resource: String, records: RecordBatch, at now: Date)
        async throws(TongbanError) -> (inserted: Int, updated: Int, unchanged: Int) {
        defer { resourceStateCache.withLock { $0.invalidate() } }
        do {
            return try await pool.write { db in
                let countSQL = "SELECT COUNT(*) FROM records WHERE resource = ?"
                let before = try Int.fetchOne(db, sql: countSQL, arguments: [resource]) ?? 0
                // Fields are canonical JSON, so identical records have identical text.
                let upsert = try db.makeStatement(sql: """
                    INSERT INTO records(resource, subject, fields, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT(resource, subject) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at
                    WHERE records.fields IS NOT excluded.fields
                    """)
                let time = now.timeIntervalSince1970
                let writeback = WALWriteback(databasePath: path)
                var written = 0
                for index in 0..<records.count {
                    try upsert.execute(arguments: [resource, records.subject(at: index), records.fieldsJSON(at: index), time])
                    written += db.changesCount  // 0 when the stored fields were the same
                    if index % WALWriteback.rowsBetweenStarts == WALWriteback.rowsBetweenStarts - 1 { writeback.start() }
                }
                let count = try Int.fetchOne(db, sql: countSQL, arguments: [resource]) ?? 0
                let inserted = count - before  // subjects are unique within an import
                if written > 0 {
                    try db.execute(sql: """
                        INSERT INTO resource_state(resource, modified_at, record_count) VALUES (?, ?, ?)
                        ON CONFLICT(resource) DO UPDATE SET modified_at = excluded.modified_at, record_count = excluded.record_count
                        """, arguments: [resource, time, count])
                }
                return (inserted, written - inserted, records.count - written)
            }
        } catch {
            throw TongbanError(.storeUnavailable, "import into \(resource) failed and changed nothing: \(error)")
        }
    }

    /// The records of `resource` for `subjects` (absent subjects are simply missing from the result), read on
    /// the calling thread through `lookup` (SQLite's C interface; see `RecordLookup`), from one snapshot.
    public func records(resource: String, subjects: [String]) async throws(TongbanError) -> [String: StoredRecord] {
        try recordsNow(resource: resource, subjects: subjects)
    }

    /// `records(resource:subjects:)` on the caller's thread: the lookup reads its own connections, never waits
    /// for a writer (WAL), so the peer fast path calls it on the event loop.
    public func recordsNow(resource: String, subjects: [String]) throws(TongbanError) -> [String: StoredRecord] {
        guard !subjects.isEmpty else { return [:] }
        return try lookup.records(resource: resource, subjects: subjects)
    }

    /// `recordsNow` read straight from SQLite's row: no `String`, no `StoredRecord`, no dictionary per record.
    public func visitRecordsNow(resource: String, subjects: [String],
                                _ visit: (Int, UnsafeBufferPointer<UInt8>, Date) -> Void) throws(TongbanError) {
        guard !subjects.isEmpty else { return }
        try lookup.visit(resource: resource, subjects: subjects, visit)
    }

    public func resourceStates() async throws(TongbanError) -> [String: ResourceState] {
        let (generation, cached) = resourceStateCache.withLock { ($0.generation, $0.value) }
        if let cached { return cached }
        do {
            let states = try await pool.read { db in
                var result: [String: ResourceState] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT resource, modified_at, record_count FROM resource_state") {
                    result[row[0]] = ResourceState(recordCount: row[2], modifiedAt: Date(timeIntervalSince1970: row[1]))
                }
                return result
            }
            resourceStateCache.withLock { $0.keep(states, readAt: generation) }
            return states
        } catch {
            throw TongbanError(.storeUnavailable, "state store read failed: \(error)")
        }
    }

    /// A few subjects of `resource` present in the store (for the demo's federation.json).
    public func sampleSubjects(resource: String, limit: Int) async throws(TongbanError) -> [String] {
        do {
            return try await pool.read { db in
                try String.fetchAll(db, sql: "SELECT subject FROM records WHERE resource = ? ORDER BY subject LIMIT ?", arguments: [resource, limit])
            }
        } catch {
            throw TongbanError(.storeUnavailable, "state store read failed: \(error)")
        }
    }
}
