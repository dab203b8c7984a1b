import Foundation
import GRDB
import TongbanCore

/// The store's rows as they are, for `tongbanctl store migrate` (moving a province onto PostgreSQL): read in pages,
/// so a store of millions of records or entries is never held in memory at once.
extension StateStore {
    /// A stored row: column name to value (text, integer, real or nil).
    public typealias ExportedRow = [String: ExportedValue]

    public enum ExportedValue: Sendable, Equatable {
        case text(String)
        case integer(Int64)
        case real(Double)
        case null

        public var text: String? { if case .text(let value) = self { value } else { nil } }
        public var real: Double? {
            switch self {
            case .real(let value): value
            case .integer(let value): Double(value)
            default: nil
            }
        }
        public var integer: Int64? { if case .integer(let value) = self { value } else { nil } }
    }

    /// The tables a migration copies whole (`records` and `audit` go in pages).
    public static let exportedTables = ["resource_state", "grants", "applications", "corrections", "peer_outbox"]

    /// Every row of `table` (one of `exportedTables`).
    public func exportRows(of table: String) async throws(TongbanError) -> [ExportedRow] {
        guard Self.exportedTables.contains(table) else { throw TongbanError(.internalError, "no exported table \(table)") }
        return try await exportRows(sql: "SELECT * FROM \(table)", arguments: [], from: pool)
    }

    /// Up to `limit` records of `resource` after subject `after`, in subject order.
    public func exportRecords(resource: String, after: String, limit: Int) async throws(TongbanError) -> [ExportedRow] {
        try await exportRows(sql: "SELECT subject, fields, updated_at FROM records WHERE resource = ? AND subject > ? ORDER BY subject LIMIT ?",
                             arguments: [resource, after, limit], from: pool)
    }

    /// Up to `limit` audit entries after sequence `after`, in order, with the caller of each.
    public func exportAudit(after: Int, limit: Int) async throws(TongbanError) -> [ExportedRow] {
        try await exportRows(sql: """
            SELECT sequence, request_id, direction, COALESCE(json_extract(entry, '$.peer'), '') AS peer, time, entry, hash FROM audit
            WHERE sequence > ? ORDER BY sequence LIMIT ?
            """, arguments: [after, limit], from: auditPool)
    }

    /// The number of rows of `table` (`records` by resource when `resource` is given).
    public func count(of table: String, resource: String? = nil) async throws(TongbanError) -> Int {
        guard Self.exportedTables.contains(table) || table == "records" || table == "audit" else {
            throw TongbanError(.internalError, "no exported table \(table)")
        }
        do {
            return try await (table == "audit" ? auditPool : pool).read { db in
                if let resource { return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM records WHERE resource = ?", arguments: [resource]) ?? 0 }
                return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
        } catch {
            throw TongbanError(.storeUnavailable, "cannot count \(table): \(error)")
        }
    }

    private func exportRows(sql: String, arguments: StatementArguments, from database: DatabasePool) async throws(TongbanError) -> [ExportedRow] {
        do {
            return try await database.read { db in
                try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                    var exported: ExportedRow = [:]
                    for (column, value) in row {
                        switch value.storage {
                        case .string(let text): exported[column] = .text(text)
                        case .int64(let number): exported[column] = .integer(number)
                        case .double(let number): exported[column] = .real(number)
                        case .null: exported[column] = .null
                        case .blob(let data): exported[column] = .text(String(decoding: data, as: UTF8.self))
                        }
                    }
                    return exported
                }
            }
        } catch {
            throw TongbanError(.storeUnavailable, "cannot read the SQLite store: \(error)")
        }
    }
}
