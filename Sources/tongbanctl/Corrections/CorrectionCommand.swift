import ArgumentParser
import Foundation
import TongbanClient
import TongbanCore

/// `tongbanctl correction request`: flags a field of a record received from a peer as wrong (校核纠错).
struct CorrectionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "correction", abstract: "Ask a peer to correct a field of one of its records (校核纠错).",
                                                    subcommands: [Request.self])

    struct Request: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a correction, signed, to the province that holds the record; it is due in working days.",
            discussion: """
            The subject, the values seen and claimed and the evidence are personal data: they go to the provider and stay in \
            both gateways' stores, never in their logs; the audit holds the subject's digest only. Follow it with \
            'tongbanctl corrections list --outgoing' (docs/workflows.md, "Corrections").
            """)
        @OptionGroup var socket: SocketOption
        @OptionGroup var who: RequesterOptions
        @Option(name: .long, help: "The province that holds the record.") var peer: String
        @Option(name: .long, help: "The resource code in the peer's directory.") var resource: String
        @Option(name: .long, help: "The record's subject (citizen ID number).") var subject: String
        @Option(name: .long, help: "The field that is wrong.") var field: String
        @Option(name: .long, help: "The value received.") var seen: String
        @Option(name: .long, help: "The value held to be right.") var claimed: String
        @Option(name: .long, help: "Why: the document or fact that shows it (required).") var evidence: String
        @Flag(name: .long, help: "Print JSON.") var json = false

        func validate() throws {
            guard !evidence.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ValidationError("--evidence is empty: say what shows the value is wrong") }
            guard seen != claimed else { throw ValidationError("--claimed is the value --seen: there is nothing to correct") }
        }

        func run() async throws {
            Console.jsonErrors = json
            let draft = CorrectionDraft(peer: peer, resource: resource, subject: subject, field: field, seen: seen, claimed: claimed, evidence: evidence,
                                        requester: who.requester)
            let listing: CorrectionListing
            do { listing = try await socket.client.post("/v1/corrections", body: try JSONCoding.encoder().encode(draft), as: CorrectionListing.self) } catch {
                throw Console.fail(error)
            }
            if json { return try Console.json(listing) }
            let c = listing.correction
            print("correction \(c.id) sent to province \(c.peer): due \(c.dueDate)" + (c.calendarWarning.map { " (\($0))" } ?? ""))
        }
    }
}
