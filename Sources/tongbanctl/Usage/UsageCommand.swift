import ArgumentParser
import Foundation
import TongbanClient
import TongbanCore

/// `tongbanctl usage report`: records of use (使用记录) summed from the audit chain, for supervisors.
struct UsageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "usage", abstract: "Records of use (使用记录): who used which records, for what.",
                                                    subcommands: [Report.self])

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sum queries and verifies per matter, department and peer, from the audit chain.",
            discussion: """
            Without --inbound: this province's use of peers' records (the outbound audit, its departments). With --inbound: \
            peers' use of this province's records (the inbound audit, their departments). EXCHANGES counts queries and \
            verifies answered (a call that got no answer is not in the audit); SUBJECTS the people the allowed ones were \
            about; CASES the distinct case references (办件编号); NO CASE the exchanges without one. --since and --until as \
            for 'audit export' (a date is the start of that day in Beijing time; --until is exclusive).
            """)
        @OptionGroup var socket: SocketOption
        @Option(name: .long, help: "Start, inclusive: an RFC 3339 time or a date (Beijing time).") var since: String?
        @Option(name: .long, help: "End, exclusive: an RFC 3339 time or a date (Beijing time).") var until: String?
        @Option(name: .long, help: "Only exchanges with this peer province.") var peer: String?
        @Option(name: .long, help: "Only this department's exchanges (its code).") var department: String?
        @Flag(name: .long, help: "Peers' use of this province's records (the inbound audit).") var inbound = false
        @Flag(name: .long, help: "Print JSON ({direction, rows, total, …}).") var json = false
        @Flag(name: .long, help: "Print CSV (RFC 4180: a header line, text quoted, CRLF), one line per row, no total.") var csv = false

        func validate() throws {
            if json && csv { throw ValidationError("--json and --csv: choose one format") }
            if let peer, (try? ProvinceCode(peer)) == nil { throw ValidationError("--peer \(peer) is not a province code") }
        }

        func run() async throws {
            Console.jsonErrors = json
            let query: UsageQuery
            do {
                query = UsageQuery(range: try AuditQuery(since: since, until: until, direction: inbound ? "in" : "out"), peer: peer, department: department)
            } catch { throw Console.fail(error) }
            let report: UsageReport
            do { report = try await socket.client.get("/v1/usage?" + query.queryItems.joined(separator: "&"), as: UsageReport.self) } catch {
                throw Console.fail(error)
            }
            if json { return try Console.json(report) }
            if csv { return print(report.csv, terminator: "") }
            UsageCommand.printTable(report)
        }
    }

    /// The report as the terminal shows it (also the demo tour's).
    static func printTable(_ report: UsageReport) {
        let rows = report.rows + (report.rows.count > 1 ? [report.total] : [])
        Console.table(["MATTER", "DEPARTMENT", "PEER", "EXCHANGES", "ALLOWED", "DENIED", "QUERIES", "VERIFIES", "SUBJECTS", "CASES", "NO CASE"],
                      rows.map { row in
                          [row.matter.isEmpty ? "total" : row.matter, row.departmentCode.isEmpty ? "" : "\(row.departmentCode) \(row.departmentName)",
                           row.peer, String(row.exchanges), String(row.allowed), String(row.denied), String(row.queries), String(row.verifies),
                           String(row.subjects), String(row.caseReferences), String(row.withoutCaseReference)]
                      })
    }
}
