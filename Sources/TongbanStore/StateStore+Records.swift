import Foundation
import GRDB
import Synchronization
import TongbanCore

extension StateStore {
    /// Inserts or replaces `records` of `resource` in one transaction: all of them or, on any failure, none.
    /// Returns how many were new and how many replaced existing subjects.
    public func upsert(resource: String, records: [(subject: String, fieldsJSON: String)], at now: Date = Date())
        async throws(TongbanError) -> (inserted: Int, updated: Int) {
        defer { resourceStateCache.withLock { $0.invalidate() } }
        do {
            return try await pool.write { db in
                let countSQL = "SELECT COUNT(*) FROM records WHERE resource = ?"
                let before = try Int.fetchOne(db, sql: countSQL, arguments: [resource]) ?? 0
                let upsert = try db.makeStatement(sql: """
                    INSERT INTO records(resource, subject, fields, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT(resource, subject) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at
                    """)
                let time = now.timeIntervalSince1970
                for record in records {
                    try upsert.execute(arguments: [resource, record.subject, record.fieldsJSON, time])
                }
                let count = try Int.fetchOne(db, sql: countSQL, arguments: [resource]) ?? 0
                let inserted = count - before, updated = records.count - inserted  // subjects are unique within an import
                try db.execute(sql: """
                    INSERT INTO resource_state(resource, modified_at, record_count) VALUES (?, ?, ?)
                    ON CONFLICT(resource) DO UPDATE SET modified_at = excluded.modified_at, record_count = excluded.record_count
                    """, arguments: [resource, time, count])
                return (inserted, updated)
            }
        } catch {
            throw TongbanError(.storeUnavailable, "import into \(resource) failed and changed nothing: \(error)")
        }
    }

    /// Lookups of at most this many subjects run on the calling thread: an indexed read of a few rows in WAL
    /// mode (readers never wait for the writer) costs less than the two thread hops of an asynchronous read,
    /// which the benchmark showed on every single-record query. Larger batches go to GRDB's reader queues.
    /// One subject is read through `lookup` (SQLite's C interface); several in one GRDB read transaction, so
    /// that they come from one snapshot.
    static let inlineLookupLimit = 16

    /// GRDB's blocking read (from a synchronous function, so the asynchronous overload cannot be chosen).
    func readInline<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    /// The records of `resource` for `subjects` (absent subjects are simply missing from the result).
    public func records(resource: String, subjects: [String]) async throws(TongbanError) -> [String: StoredRecord] {
        guard !subjects.isEmpty else { return [:] }
        if subjects.count == 1 {
            let subject = subjects[0]
            return try lookup.record(resource: resource, subject: subject).map { [subject: $0] } ?? [:]
        }
        let read: @Sendable (Database) throws -> [String: StoredRecord] = { db in
            var result: [String: StoredRecord] = [:]
            let statement = try db.cachedStatement(sql: "SELECT subject, fields, updated_at FROM records WHERE resource = ? AND subject = ?")
            for subject in subjects {
                if let row = try Row.fetchOne(statement, arguments: [resource, subject]) {
                    result[subject] = StoredRecord(subject: row[0], fieldsJSON: row[1], updatedAt: Date(timeIntervalSince1970: row[2]))
                }
            }
            return result
        }
        do {
            if subjects.count <= Self.inlineLookupLimit { return try readInline(read) }
            return try await pool.read(read)
        } catch {
            throw TongbanError(.storeUnavailable, "state store read failed: \(error)")
        }
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
    public func sampleSubjects(resource: String, limit: Int) async throws -> [String] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT subject FROM records WHERE resource = ? ORDER BY subject LIMIT ?", arguments: [resource, limit])
        }
    }
}
