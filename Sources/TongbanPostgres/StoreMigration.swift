import Crypto
import Foundation
import Logging
import PostgresNIO
import TongbanCore
import TongbanStore

/// `tongbanctl store migrate`: copies a province's SQLite state directory into a PostgreSQL database, then checks
/// the copy (counts of every table, and the audit chain walked and re-hashed at the destination).
///
/// Resumable: every step copies what is missing or changed and can run again. The audit continues from the
/// destination's last entry, after checking that it is the source's entry of that number (same hash): a database
/// that holds another chain is refused. So an operator copies while the daemon still runs, then stops it (or
/// drains it), runs the migration once more for what came since, and starts the replicas on PostgreSQL.
public struct StoreMigration: Sendable {
    public let source: StateStore
    public let destination: PostgresStore
    /// Rows per statement and per page read.
    public var page = 2_000
    public var progress: @Sendable (String) -> Void = { _ in }

    public init(source: StateStore, destination: PostgresStore) {
        self.source = source
        self.destination = destination
    }

    public func run() async throws(TongbanError) -> StoreMigrationReport {
        var report = StoreMigrationReport()
        try await destination.importAuditSecret(try await source.auditSecret())
        let states = try await source.exportRows(of: "resource_state")
        for state in states {
            guard let resource = state["resource"]?.text else { continue }
            var after = ""
            var copied = 0
            while true {
                let rows = try await source.exportRecords(resource: resource, after: after, limit: page)
                if rows.isEmpty { break }
                try await destination.copyRecords(resource: resource, rows: rows)
                copied += rows.count
                after = rows.last?["subject"]?.text ?? after
                progress("records of \(resource): \(copied)")
            }
            report.records[resource] = copied
        }
        for table in StateStore.exportedTables {
            let rows = try await source.exportRows(of: table)
            try await destination.copyRows(rows, into: table)
            report.tables[table] = rows.count
            progress("\(table): \(rows.count)")
        }
        report.auditCopied = try await copyAudit()
        try await check(&report)
        return report
    }

    /// Appends the source's entries after the destination's last one, verbatim.
    func copyAudit() async throws(TongbanError) -> Int {
        var head = try await destination.auditHead()
        if head.sequence > 0 {
            let sourceEntry = try await source.exportAudit(after: head.sequence - 1, limit: 1).first
            guard sourceEntry?["hash"]?.text == head.hash else {
                throw TongbanError(.storeUnavailable, """
                    the PostgreSQL audit log's entry \(head.sequence) is not the SQLite log's entry \(head.sequence): the database holds \
                    another chain (a replica wrote to it, or it is another province's); nothing was copied — migrate into an empty database
                    """)
            }
        }
        var copied = 0
        while true {
            let rows = try await source.exportAudit(after: head.sequence, limit: page)
            if rows.isEmpty { break }
            head = try await destination.copyAudit(rows, after: head)
            copied += rows.count
            progress("audit entries: \(head.sequence)")
        }
        return copied
    }

    /// The counts on both sides, and the destination's chain walked from its first entry.
    func check(_ report: inout StoreMigrationReport) async throws(TongbanError) {
        for (resource, _) in report.records {
            let expected = try await source.count(of: "records", resource: resource)
            let found = try await destination.count(of: "records", resource: resource)
            if expected != found { report.mismatches.append("records of \(resource): \(expected) in SQLite, \(found) in PostgreSQL") }
        }
        for table in StateStore.exportedTables + ["audit"] {
            let expected = try await source.count(of: table)
            let found = try await destination.count(of: table)
            if expected != found { report.mismatches.append("\(table): \(expected) in SQLite, \(found) in PostgreSQL") }
        }
        report.chain = try await destination.verifyChain(page: page) { progress("verified: \($0) entries") }
    }
}

/// What a migration copied and found.
public struct StoreMigrationReport: Codable, Sendable {
    /// Records copied, by resource.
    public var records: [String: Int] = [:]
    /// Rows copied, by table.
    public var tables: [String: Int] = [:]
    /// Audit entries appended by this run (earlier runs' are already there).
    public var auditCopied = 0
    /// The destination's chain, walked and re-hashed.
    public var chain = AuditVerification(ok: false, entries: 0, firstBroken: nil, reason: "not verified")
    /// Counts that differ between the two stores.
    public var mismatches: [String] = []

    public var ok: Bool { chain.ok && mismatches.isEmpty }
}
