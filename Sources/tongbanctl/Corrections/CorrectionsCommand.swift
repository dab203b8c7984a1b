import ArgumentParser
import Foundation
import TongbanClient
import TongbanCore

/// `tongbanctl corrections list|show|resolve|withdraw`: the correction queue, both directions.
struct CorrectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corrections", abstract: "Corrections (校核纠错): peers' to resolve, this province's to follow.",
        subcommands: [List.self, Show.self, Resolve.self, Withdraw.self])

    static func checkID(_ id: String) throws {
        guard CorrectionID.isWellFormed(id) else {
            throw ValidationError("'\(id)' is not a correction id: ids look like C-11-0123456789abcdef ('tongbanctl corrections list' shows them)")
        }
    }

    static var operatorName: String { ProcessInfo.processInfo.environment["USER"] ?? "tongbanctl" }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List corrections: incoming (peers flagged this province's records) and outgoing (this province flagged peers').",
            discussion: "DUE is the last day of the provider's answer (China date); a correction still submitted after it is overdue.")
        @OptionGroup var socket: SocketOption
        @Flag(name: .long, help: "Only corrections of this province's records.") var incoming = false
        @Flag(name: .long, help: "Only this province's corrections to peers.") var outgoing = false
        @Flag(name: .long, help: "Only corrections past their due date without an outcome.") var overdue = false
        @Flag(name: .long, help: "Print JSON (values included: personal data).") var json = false

        func validate() throws {
            if incoming && outgoing { throw ValidationError("--incoming and --outgoing together list everything: leave both out") }
        }

        func run() async throws {
            Console.jsonErrors = json
            var query: [String] = []
            if incoming { query.append("direction=incoming") }
            if outgoing { query.append("direction=outgoing") }
            if overdue { query.append("overdue=1") }
            let listings: [CorrectionListing]
            do { listings = try await socket.client.get("/v1/corrections" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")), as: [CorrectionListing].self) } catch {
                throw Console.fail(error)
            }
            if json { return try Console.json(listings) }
            Console.table(["CORRECTION", "DIRECTION", "PEER", "RESOURCE", "FIELD", "DEPARTMENT", "DUE", "STATE"], listings.map { listing in
                let c = listing.correction
                return [c.id, c.direction == .incoming ? "in" : "out", c.peer, c.resource, c.field, c.requester.departmentCode, c.dueDate.description,
                        c.state.rawValue + (listing.overdue ? ", overdue" : "")]
            })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one correction: the record, the values, the evidence, and where it stands.")
        @OptionGroup var socket: SocketOption
        @Argument(help: "The correction id (C-11-0123456789abcdef).") var id: String
        @Flag(name: .long, help: "Print JSON.") var json = false

        func validate() throws { try CorrectionsCommand.checkID(id) }

        func run() async throws {
            Console.jsonErrors = json
            let listing: CorrectionListing
            do { listing = try await socket.client.get("/v1/corrections/\(id)", as: CorrectionListing.self) } catch { throw Console.fail(error) }
            if json { return try Console.json(listing) }
            let c = listing.correction
            var lines: [(String, String)] = [
                ("correction", c.id), ("direction", c.direction == .incoming ? "incoming (province \(c.peer) flagged this province's record)"
                                                                            : "outgoing (to province \(c.peer))"),
                ("state", c.state.rawValue + (listing.overdue ? " (overdue)" : "")), ("resource", c.resource), ("subject", c.subject), ("field", c.field),
                ("seen", c.seen), ("claimed", c.claimed), ("evidence", c.evidence),
                ("department", "\(c.requester.departmentCode) \(c.requester.departmentName) (operator \(c.requester.operatorId))"),
                ("received", Console.date(c.receivedAt)), ("due", c.dueDate.description),
            ]
            if let warning = c.calendarWarning { lines.append(("calendar", warning)) }
            if let resolved = c.resolvedAt { lines.append(("resolved", Console.date(resolved) + (c.resolvedBy.map { " by \($0)" } ?? ""))) }
            if let reason = c.reason { lines.append(("reason", reason)) }
            if let changed = c.recordChangedAt { lines.append(("record changed", Console.date(changed))) }
            if c.direction == .incoming, c.state == .corrected || c.state == .rejected {
                lines.append(("delivered", c.deliveredAt.map(Console.date) ?? "not yet (pushed until the requester acknowledges it)"))
            }
            Console.table(["", ""], lines.map { [$0.0, $0.1] }, header: false)
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resolve an incoming correction, corrected or rejected, with the reason the requester receives.",
            discussion: """
            --outcome corrected is accepted only when the record's field now holds another value than when the correction \
            arrived, written after it arrived (import the corrected record first); otherwise it is refused with \
            tongban.correction.unchanged. --outcome rejected keeps the record as it is.
            """)
        @OptionGroup var socket: SocketOption
        @Argument(help: "The correction id.") var id: String
        @Option(name: .long, help: "corrected or rejected.") var outcome: CorrectionOutcome
        @Option(name: .long, help: "Why (required; sent to the requester and kept in both stores).") var reason: String
        @Option(name: .long, help: "Who decides (recorded in the audit).") var `operator` = CorrectionsCommand.operatorName
        @Flag(name: .long, help: "Print JSON.") var json = false

        func validate() throws {
            try CorrectionsCommand.checkID(id)
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ValidationError("--reason is empty: an outcome must give its reason") }
        }

        func run() async throws {
            Console.jsonErrors = json
            let resolution = CorrectionResolution(outcome: outcome, reason: reason, operatorId: `operator`)
            let listing: CorrectionListing
            do {
                listing = try await socket.client.post("/v1/corrections/\(id)/resolve", body: try JSONCoding.encoder().encode(resolution),
                                                       as: CorrectionListing.self)
            } catch { throw Console.fail(error) }
            if json { return try Console.json(listing) }
            print("\(id) is \(listing.correction.state.rawValue); the outcome is sent to province \(listing.correction.peer)")
        }
    }

    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Withdraw one of this province's corrections before the provider resolves it.")
        @OptionGroup var socket: SocketOption
        @Argument(help: "The correction id.") var id: String
        @Option(name: .long, help: "Why (optional).") var reason: String?
        @Option(name: .long, help: "Who withdraws (recorded in the audit).") var `operator` = CorrectionsCommand.operatorName
        @Flag(name: .long, help: "Print JSON.") var json = false

        func validate() throws { try CorrectionsCommand.checkID(id) }

        func run() async throws {
            Console.jsonErrors = json
            let statement = CorrectionStatement(reason: reason, operatorId: `operator`)
            let listing: CorrectionListing
            do {
                listing = try await socket.client.post("/v1/corrections/\(id)/withdraw", body: try JSONCoding.encoder().encode(statement),
                                                       as: CorrectionListing.self)
            } catch { throw Console.fail(error) }
            if json { return try Console.json(listing) }
            print("\(id) is \(listing.correction.state.rawValue)")
        }
    }
}

extension CorrectionOutcome: ExpressibleByArgument {}
