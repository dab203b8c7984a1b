import ArgumentParser
import Foundation
import TongbanClient
import TongbanCore

/// `tongbanctl applications list|show|approve|refuse|withdraw`: the application queue, both directions.
struct ApplicationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "applications", abstract: "Sharing applications (共享申请): peers' to decide, this province's to follow.",
        subcommands: [List.self, Show.self, Approve.self, Refuse.self, Withdraw.self])

    static func checkID(_ id: String) throws {
        guard ApplicationID.isWellFormed(id) else {
            throw ValidationError("'\(id)' is not an application id: ids look like A-11-0123456789abcdef ('tongbanctl applications list' shows them)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List applications: incoming (peers applied here) and outgoing (this province applied).",
            discussion: """
                DUE is the last day of the provider's answer (China date); an application still submitted after it is overdue \
                (STATE shows 'submitted, overdue'). --json gives each application with its 'overdue' member.
                """)
        @OptionGroup var socket: SocketOption
        @Flag(name: .long, help: "Only applications peers made to this province.") var incoming = false
        @Flag(name: .long, help: "Only this province's applications to peers.") var outgoing = false
        @Flag(name: .long, help: "Only applications past their due date without a decision.") var overdue = false
        @Flag(name: .long, help: "Print JSON.") var json = false

        func validate() throws {
            if incoming && outgoing { throw ValidationError("--incoming and --outgoing together list everything: leave both out") }
        }

        func run() async throws {
            Console.jsonErrors = json
            var query: [String] = []
            if incoming { query.append("direction=incoming") }
            if outgoing { query.append("direction=outgoing") }
            if overdue { query.append("overdue=1") }
            let path = "/v1/applications" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
            let listings: [ApplicationListing]
            do { listings = try await socket.client.get(path, as: [ApplicationListing].self) } catch { throw Console.fail(error) }
            if json { return try Console.json(listings) }
            Console.table(["APPLICATION", "DIRECTION", "PEER", "RESOURCE", "MATTER", "DEPARTMENT", "DUE", "STATE", "GRANT"], listings.map { listing in
                let a = listing.application
                return [a.id, a.direction == .incoming ? "in" : "out", a.peer, a.resource, a.matter, a.requester.departmentCode, a.dueDate.description,
                        a.state.rawValue + (listing.overdue ? ", overdue" : ""), a.grant?.id ?? "-"]
            })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one application: what was asked, why, and where it stands.")
        @OptionGroup var socket: SocketOption
        @Argument(help: "The application id (A-11-0123456789abcdef).") var id: String
        @Flag(name: .long, help: "Print JSON.") var json = false

        func validate() throws { try ApplicationsCommand.checkID(id) }

        func run() async throws {
            Console.jsonErrors = json
            let listing: ApplicationListing
            do { listing = try await socket.client.get("/v1/applications/\(id)", as: ApplicationListing.self) } catch { throw Console.fail(error) }
            if json { return try Console.json(listing) }
            ApplicationsCommand.print(listing)
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve an incoming application: the grant it asks for is made, and the decision sent to the requester.",
            discussion: """
                The grant follows 'grant add''s rules: --fields narrows what was asked for (never widens it), --clear names \
                sensitive granted fields the peer sees unmasked, --days defaults to the days asked for. One active grant per \
                peer, resource and matter: an approval is refused while another is active.
                """)
        @OptionGroup var socket: SocketOption
        @Argument(help: "The application id.") var id: String
        @Option(name: .long, help: "Comma-separated fields granted, among those asked for (default: all of them).") var fields: String?
        @Option(name: .long, help: "Comma-separated sensitive fields, among those granted, the peer may see unmasked.") var clear = ""
        @Option(name: .long, parsing: .unconditional, help: "Validity of the grant in days (1 to 3650; default: the days asked for).") var days: Int?
        @Option(name: .long, help: "Who decides (recorded in the audit).") var `operator` = ProcessInfo.processInfo.environment["USER"] ?? "tongbanctl"
        @Flag(name: .long, help: "Print JSON.") var json = false

        func validate() throws {
            try ApplicationsCommand.checkID(id)
            if let fields, GrantCommand.Add.list(fields).isEmpty { throw ValidationError("--fields '\(fields)' names no field") }
            if let days, !GrantRequest.validDays.contains(days) {
                throw ValidationError("--days \(days): a grant lasts \(GrantRequest.validDays.lowerBound) to \(GrantRequest.validDays.upperBound) days")
            }
        }

        func run() async throws {
            Console.jsonErrors = json
            let approval = ApplicationApproval(fields: fields.map(GrantCommand.Add.list), clearFields: GrantCommand.Add.list(clear), days: days,
                                               operatorId: `operator`)
            let listing: ApplicationListing
            do {
                listing = try await socket.client.post("/v1/applications/\(id)/approve", body: try JSONCoding.encoder().encode(approval),
                                                       as: ApplicationListing.self)
            } catch { throw Console.fail(error) }
            if json { return try Console.json(listing) }
            let grant = listing.application.grant
            Swift.print("approved \(id): grant \(grant?.id ?? "-") lets province \(listing.application.peer) obtain \(listing.application.resource) for "
                        + "\(listing.application.matter), fields \(grant?.fields.joined(separator: ",") ?? ""), until \(Console.date(grant?.validUntil))")
        }
    }

    struct Refuse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Refuse an incoming application, giving the reason the requester receives.")
        @OptionGroup var socket: SocketOption
        @Argument(help: "The application id.") var id: String
        @Option(name: .long, help: "Why (required; sent to the requester and kept in both audits).") var reason: String
        @Option(name: .long, help: "Who decides (recorded in the audit).") var `operator` = ProcessInfo.processInfo.environment["USER"] ?? "tongbanctl"
        @Flag(name: .long, help: "Print JSON.") var json = false

        func validate() throws {
            try ApplicationsCommand.checkID(id)
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ValidationError("--reason is empty: a refusal must give its reason")
            }
        }

        func run() async throws {
            Console.jsonErrors = json
            let statement = ApplicationStatement(reason: reason, operatorId: `operator`)
            let listing: ApplicationListing
            do {
                listing = try await socket.client.post("/v1/applications/\(id)/refuse", body: try JSONCoding.encoder().encode(statement),
                                                       as: ApplicationListing.self)
            } catch { throw Console.fail(error) }
            if json { return try Console.json(listing) }
            Swift.print("refused \(id)")
        }
    }

    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Withdraw one of this province's applications before the provider decides it.")
        @OptionGroup var socket: SocketOption
        @Argument(help: "The application id.") var id: String
        @Option(name: .long, help: "Why (optional).") var reason: String?
        @Option(name: .long, help: "Who withdraws (recorded in the audit).") var `operator` = ProcessInfo.processInfo.environment["USER"] ?? "tongbanctl"
        @Flag(name: .long, help: "Print JSON.") var json = false

        func validate() throws { try ApplicationsCommand.checkID(id) }

        func run() async throws {
            Console.jsonErrors = json
            let statement = ApplicationStatement(reason: reason, operatorId: `operator`)
            let listing: ApplicationListing
            do {
                listing = try await socket.client.post("/v1/applications/\(id)/withdraw", body: try JSONCoding.encoder().encode(statement),
                                                       as: ApplicationListing.self)
            } catch { throw Console.fail(error) }
            if json { return try Console.json(listing) }
            Swift.print("\(id) is \(listing.application.state.rawValue)")
        }
    }

    static func print(_ listing: ApplicationListing) {
        let a = listing.application
        var lines: [(String, String)] = [
            ("application", a.id), ("direction", a.direction == .incoming ? "incoming (province \(a.peer) applied here)" : "outgoing (to province \(a.peer))"),
            ("state", a.state.rawValue + (listing.overdue ? " (overdue)" : "")), ("resource", a.resource), ("matter", a.matter),
            ("fields", a.fields.joined(separator: ",")), ("purpose", a.purpose), ("basis", a.basis), ("days", String(a.days)), ("contact", a.contact),
            ("department", "\(a.requester.departmentCode) \(a.requester.departmentName) (operator \(a.requester.operatorId))"),
            ("received", Console.date(a.receivedAt)), ("due", a.dueDate.description), ("expires", Console.date(a.expiresAt)),
        ]
        if let warning = a.calendarWarning { lines.append(("calendar", warning)) }
        if let decided = a.decidedAt { lines.append(("decided", Console.date(decided) + (a.decidedBy.map { " by \($0)" } ?? ""))) }
        if let reason = a.reason { lines.append(("reason", reason)) }
        if let grant = a.grant {
            lines.append(("grant", "\(grant.id): fields \(grant.fields.joined(separator: ",")), clear \(grant.clearFields.joined(separator: ",")), "
                          + "until \(Console.date(grant.validUntil))"))
        }
        if a.direction == .incoming, a.state.isFinal, a.state != .withdrawn {
            lines.append(("delivered", a.deliveredAt.map(Console.date) ?? "not yet (pushed until the requester acknowledges it)"))
        }
        Console.table(["", ""], lines.map { [$0.0, $0.1] }, header: false)
    }
}
