import ArgumentParser
import Foundation
import TongbanClient
import TongbanCore

/// `tongbanctl records set`: one field of one stored record, changed by hand through the import's checks.
struct RecordsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "records", abstract: "This province's stored records, one at a time.",
                                                    subcommands: [Set.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change one field of one stored record (written again through the import, with its checks).",
            discussion: """
            For a correction (校核纠错) the department's own system cannot export at once: the record keeps its other fields, \
            the import's rules apply to the new value (an empty --value clears the field), and the record counts as changed \
            only if the value is new — what 'corrections resolve --outcome corrected' checks. The log names the resource and \
            the field, never a value.
            """)
        @OptionGroup var socket: SocketOption
        @Option(name: .long, help: "Resource code (信息资源代码) from the directory.") var resource: String
        @Option(name: .long, help: "The record's subject (citizen ID number).") var subject: String
        @Option(name: .long, help: "The field to change.") var field: String
        @Option(name: .long, help: "The new value, as text (read as the field's type; empty clears it).") var value: String
        @Flag(name: .long, help: "Print the import report as JSON.") var json = false

        func run() async throws {
            Console.jsonErrors = json
            let edit = RecordEdit(resource: resource, subject: subject, field: field, value: value)
            let report: ImportReport
            do { report = try await socket.client.post("/v1/records/set", body: try JSONCoding.encoder().encode(edit), as: ImportReport.self) } catch {
                throw Console.fail(error)
            }
            if json { try Console.json(report) }
            guard report.ok else {
                if !json { for issue in report.errors { Console.error("\(field): \(issue.message)") } }
                throw ExitCode(1)
            }
            if !json { print(report.updated > 0 ? "\(resource): field \(field) of the record changed" : "\(resource): the record already held that value; nothing changed") }
        }
    }
}
