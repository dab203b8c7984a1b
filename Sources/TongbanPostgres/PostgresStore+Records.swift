import Foundation
import PostgresNIO
import TongbanCore
import TongbanStore

extension PostgresStore {
    /// Rows per INSERT of an import (arrays bound as two parameters, so the statement's size does not grow).
    static let importChunk = 2_000

    /// As `StateStore.upsert`: one transaction, all records or none; identical records are not written.
    public func upsert(resource: String, records: RecordBatch, at now: Date) async throws(TongbanError) -> (inserted: Int, updated: Int, unchanged: Int) {
        defer { resourceStateCache.invalidate() }
        let time = now.timeIntervalSince1970
        let logger = self.logger
        return try await transaction("import into \(resource) failed and changed nothing") { connection in
            var inserted = 0
            var updated = 0
            var start = 0
            while start < records.count {
                let end = min(start + Self.importChunk, records.count)
                let subjects = (start..<end).map { records.subject(at: $0) }
                let fields = (start..<end).map { records.fieldsJSON(at: $0) }
                // RETURNING gives the rows written (new or changed, not identical ones); xmax = 0 marks a new one.
                let rows = try await connection.query("""
                    INSERT INTO records(resource, subject, fields, updated_at)
                    SELECT \(resource), s, f, \(time) FROM unnest(\(subjects)::text[], \(fields)::text[]) AS t(s, f)
                    ON CONFLICT (resource, subject) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at
                    WHERE records.fields IS DISTINCT FROM excluded.fields
                    RETURNING (xmax = 0)
                    """, logger: logger)
                for try await new in rows.decode(Bool.self) { if new { inserted += 1 } else { updated += 1 } }
                start = end
            }
            if inserted + updated > 0 {
                try await connection.query("""
                    INSERT INTO resource_state(resource, modified_at, record_count)
                    SELECT \(resource), \(time), COUNT(*) FROM records WHERE resource = \(resource)
                    ON CONFLICT (resource) DO UPDATE SET modified_at = excluded.modified_at, record_count = excluded.record_count
                    """, logger: logger)
            }
            return (inserted, updated, records.count - inserted - updated)
        }
    }

    public func records(resource: String, subjects: [String]) async throws(TongbanError) -> [String: StoredRecord] {
        guard !subjects.isEmpty else { return [:] }
        let logger = self.logger
        return try await read("state store read failed") {
            var result: [String: StoredRecord] = [:]
            let rows = try await client.query("""
                SELECT subject, fields, updated_at FROM records WHERE resource = \(resource) AND subject = ANY(\(subjects)::text[])
                """, logger: logger)
            for try await (subject, fields, updated) in rows.decode((String, String, Double).self) {
                result[subject] = StoredRecord(subject: subject, fieldsJSON: fields, updatedAt: Date(timeIntervalSince1970: updated))
            }
            return result
        }
    }

    /// Not offered: a database across the network cannot be read without waiting (`readsWithoutWaiting` is false).
    public func recordsNow(resource: String, subjects: [String]) throws(TongbanError) -> [String: StoredRecord] {
        throw TongbanError(.storeUnavailable, "the PostgreSQL store has no synchronous reads")
    }

    public func resourceStates() async throws(TongbanError) -> [String: ResourceState] {
        let (cached, generation) = resourceStateCache.current()
        if let cached { return cached }
        let logger = self.logger
        let readAt = ContinuousClock.now
        let states = try await read("state store read failed") {
            var result: [String: ResourceState] = [:]
            for try await (resource, modified, count) in try await client.query("SELECT resource, modified_at, record_count FROM resource_state",
                                                                                 logger: logger).decode((String, Double, Int).self) {
                result[resource] = ResourceState(recordCount: count, modifiedAt: Date(timeIntervalSince1970: modified))
            }
            return result
        }
        resourceStateCache.keep(states, readAt: generation, time: readAt)
        return states
    }

    public func sampleSubjects(resource: String, limit: Int) async throws(TongbanError) -> [String] {
        let logger = self.logger
        return try await read("state store read failed") {
            var subjects: [String] = []
            for try await subject in try await client.query("""
                SELECT subject FROM records WHERE resource = \(resource) ORDER BY subject COLLATE "C" LIMIT \(limit)
                """, logger: logger).decode(String.self) { subjects.append(subject) }
            return subjects
        }
    }
}
