import Foundation
import PostgresNIO
import TongbanCore
import TongbanStore

extension PostgresStore {
    /// As `StateStore.usage`: one pass over the time range's entries, summed by the database. Sorting uses the
    /// bytewise collation and puts absent values first, as SQLite does, so both stores give the same report.
    public func usage(_ query: UsageQuery) async throws(TongbanError) -> UsageReport {
        var binds = PostgresBindings()
        binds.append(query.direction.rawValue)
        var conditions = ["direction = $1"]
        if let since = query.range.since { binds.append(since.timeIntervalSince1970); conditions.append("time >= $\(binds.count)") }
        if let until = query.range.until { binds.append(until.timeIntervalSince1970); conditions.append("time < $\(binds.count)") }
        var outer = ["endpoint IN ('query', 'verify')"]
        if let peer = query.peer { binds.append(peer); outer.append("peer = $\(binds.count)") }
        if let department = query.department { binds.append(department); outer.append("department_code = $\(binds.count)") }
        func member(_ name: String) -> String { "(entry::jsonb ->> '\(name)')" }
        let entries = """
            SELECT \(member("matter")) AS matter, \(member("departmentCode")) AS department_code, \(member("departmentName")) AS department_name,
                   \(member("peer")) AS peer, \(member("endpoint")) AS endpoint, \(member("decision")) AS decision,
                   \(member("subjectCount"))::bigint AS subject_count, \(member("caseReference")) AS case_reference
            FROM audit WHERE \(conditions.joined(separator: " AND "))
            """
        let sums = """
            COUNT(*) AS exchanges,
            COALESCE(SUM(CASE WHEN decision = 'allow' THEN 1 ELSE 0 END), 0)::bigint AS allowed,
            COALESCE(SUM(CASE WHEN decision = 'allow' THEN 0 ELSE 1 END), 0)::bigint AS denied,
            COALESCE(SUM(CASE WHEN endpoint = 'query' THEN 1 ELSE 0 END), 0)::bigint AS queries,
            COALESCE(SUM(CASE WHEN endpoint = 'verify' THEN 1 ELSE 0 END), 0)::bigint AS verifies,
            COALESCE(SUM(CASE WHEN decision = 'allow' THEN subject_count ELSE 0 END), 0)::bigint AS subjects,
            COUNT(DISTINCT case_reference) AS case_references,
            COALESCE(SUM(CASE WHEN case_reference IS NULL THEN 1 ELSE 0 END), 0)::bigint AS without_case_reference
            """
        let filter = outer.joined(separator: " AND ")
        let grouped = PostgresQuery(unsafeSQL: """
            SELECT matter, department_code, MAX(department_name) AS department_name, peer, \(sums)
            FROM (\(entries)) AS e WHERE \(filter)
            GROUP BY matter, department_code, peer
            ORDER BY matter COLLATE "C" NULLS FIRST, department_code COLLATE "C" NULLS FIRST, peer COLLATE "C" NULLS FIRST
            """, binds: binds)
        let total = PostgresQuery(unsafeSQL: "SELECT NULL::text, NULL::text, NULL::text, NULL::text, \(sums) FROM (\(entries)) AS e WHERE \(filter)",
                                  binds: binds)
        let logger = self.logger
        typealias Columns = (String?, String?, String?, String?, Int, Int, Int, Int, Int, Int, Int, Int)
        func row(_ c: Columns) -> UsageRow {
            UsageRow(matter: c.0 ?? "", departmentCode: c.1 ?? "", departmentName: c.2 ?? "", peer: c.3 ?? "", exchanges: c.4, allowed: c.5,
                     denied: c.6, queries: c.7, verifies: c.8, subjects: c.9, caseReferences: c.10, withoutCaseReference: c.11)
        }
        return try await read("cannot read the audit log") {
            var rows: [UsageRow] = []
            for try await columns in try await client.query(grouped, logger: logger).decode(Columns.self) { rows.append(row(columns)) }
            var sum: UsageRow?
            for try await columns in try await client.query(total, logger: logger).decode(Columns.self) { sum = row(columns) }
            return UsageReport(direction: query.direction, since: query.range.since, until: query.range.until, peer: query.peer,
                               department: query.department, rows: rows,
                               total: sum ?? UsageRow(matter: "", departmentCode: "", departmentName: "", peer: "", exchanges: 0, allowed: 0,
                                                      denied: 0, queries: 0, verifies: 0, subjects: 0, caseReferences: 0, withoutCaseReference: 0))
        }
    }
}
