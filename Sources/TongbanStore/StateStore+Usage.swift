import Foundation
import GRDB
import TongbanCore

extension StateStore {
    /// The usage report of `query`, summed by the database over the audit entries of the time range: one pass, no
    /// entry decoded here, so a log of millions of entries is summed without holding it in memory. Only query and
    /// verify entries count (a workflow's entries, `applications/…` and `corrections/…`, are not uses of records).
    public func usage(_ query: UsageQuery) async throws(TongbanError) -> UsageReport {
        var conditions = ["direction = ?"]
        var arguments: [any DatabaseValueConvertible] = [query.direction.rawValue]
        if let since = query.range.since { conditions.append("time >= ?"); arguments.append(since.timeIntervalSince1970) }
        if let until = query.range.until { conditions.append("time < ?"); arguments.append(until.timeIntervalSince1970) }
        var outer = ["endpoint IN ('query', 'verify')"]
        if let peer = query.peer { outer.append("peer = ?"); arguments.append(peer) }
        if let department = query.department { outer.append("department_code = ?"); arguments.append(department) }
        // Plain SQL but for the member extraction (`Self.member`), the one expression a PostgreSQL port rewrites.
        let entries = """
            SELECT \(Self.member("matter")) AS matter, \(Self.member("departmentCode")) AS department_code,
                   \(Self.member("departmentName")) AS department_name, \(Self.member("peer")) AS peer, \(Self.member("endpoint")) AS endpoint,
                   \(Self.member("decision")) AS decision, \(Self.member("subjectCount")) AS subject_count,
                   \(Self.member("caseReference")) AS case_reference
            FROM audit WHERE \(conditions.joined(separator: " AND "))
            """
        let sums = """
            COUNT(*) AS exchanges,
            SUM(CASE WHEN decision = 'allow' THEN 1 ELSE 0 END) AS allowed,
            SUM(CASE WHEN decision = 'allow' THEN 0 ELSE 1 END) AS denied,
            SUM(CASE WHEN endpoint = 'query' THEN 1 ELSE 0 END) AS queries,
            SUM(CASE WHEN endpoint = 'verify' THEN 1 ELSE 0 END) AS verifies,
            SUM(CASE WHEN decision = 'allow' THEN subject_count ELSE 0 END) AS subjects,
            COUNT(DISTINCT case_reference) AS case_references,
            SUM(CASE WHEN case_reference IS NULL THEN 1 ELSE 0 END) AS without_case_reference
            """
        let filter = outer.joined(separator: " AND ")
        let bound: StatementArguments = StatementArguments(arguments)
        do {
            return try await auditPool.read { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT matter, department_code, MAX(department_name) AS department_name, peer, \(sums)
                    FROM (\(entries)) AS e WHERE \(filter)
                    GROUP BY matter, department_code, peer ORDER BY matter, department_code, peer
                    """, arguments: bound).map { Self.usageRow($0) }
                let total = try Row.fetchOne(db, sql: "SELECT '' AS matter, '' AS department_code, '' AS department_name, '' AS peer, \(sums) "
                                             + "FROM (\(entries)) AS e WHERE \(filter)", arguments: bound).map { Self.usageRow($0) }
                return UsageReport(direction: query.direction, since: query.range.since, until: query.range.until, peer: query.peer,
                                   department: query.department, rows: rows,
                                   total: total ?? UsageRow(matter: "", departmentCode: "", departmentName: "", peer: "", exchanges: 0, allowed: 0,
                                                            denied: 0, queries: 0, verifies: 0, subjects: 0, caseReferences: 0, withoutCaseReference: 0))
            }
        } catch {
            throw TongbanError(.storeUnavailable, "cannot read the audit log: \(error)")
        }
    }

    /// The SQL of a member of an audit entry's JSON (SQLite's JSON1; in PostgreSQL, `entry::jsonb ->> 'name'`).
    static func member(_ name: String) -> String { "json_extract(entry, '$.\(name)')" }

    static func usageRow(_ row: Row) -> UsageRow {
        UsageRow(matter: row["matter"] ?? "", departmentCode: row["department_code"] ?? "", departmentName: row["department_name"] ?? "",
                 peer: row["peer"] ?? "", exchanges: row["exchanges"] ?? 0, allowed: row["allowed"] ?? 0, denied: row["denied"] ?? 0,
                 queries: row["queries"] ?? 0, verifies: row["verifies"] ?? 0, subjects: row["subjects"] ?? 0,
                 caseReferences: row["case_references"] ?? 0, withoutCaseReference: row["without_case_reference"] ?? 0)
    }
}
