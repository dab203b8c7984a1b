import ArgumentParser
import Foundation
import TongbanClient
import TongbanCore

/// `tongbanctl apply`: a sharing application (共享申请) to a peer for a conditionally shared resource.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Apply to a peer for a conditionally shared (有条件共享) resource, stating purpose and basis.",
        discussion: """
            The gateway signs the application and sends it to the provider, which answers with its due date (counted in \
            working days, docs/workflows.md). Both provinces audit it. The provider refuses an application for a resource \
            that needs none (无条件共享: tongban.application.not-needed) or is never shared (不予共享: tongban.policy.not-shared). \
            Follow it with 'tongbanctl applications list --outgoing'.
            """)
    @OptionGroup var socket: SocketOption
    @OptionGroup var who: RequesterOptions
    @Option(name: .long, help: "The province to apply to (the provider).") var peer: String
    @Option(name: .long, help: "The resource code in the peer's directory.") var resource: String
    @Option(name: .long, help: "The matter the data is for (see 'tongbanctl matters list').") var matter: String
    @Option(name: .long, help: "Comma-separated fields asked for (default: every field the matter needs).") var fields: String?
    @Option(name: .long, help: "What the data is for (用途).") var purpose: String
    @Option(name: .long, help: "The legal basis (依据): law, regulation or document.") var basis: String
    @Option(name: .long, parsing: .unconditional, help: "Days of access asked for (1 to 3650); undecided after that long, it expires.") var days = 365
    @Option(name: .long, help: "Who answers questions about it (name, telephone).") var contact: String
    @Flag(name: .long, help: "Print JSON; errors as problem documents.") var json = false

    func validate() throws {
        if let fields, GrantCommand.Add.list(fields).isEmpty {
            throw ValidationError("--fields '\(fields)' names no field: leave --fields out to ask for every field the matter needs")
        }
        for (name, value) in [("--purpose", purpose), ("--basis", basis), ("--contact", contact)]
        where value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("\(name) is empty: an application states its purpose, its basis and a contact")
        }
        guard GrantRequest.validDays.contains(days) else {
            throw ValidationError("--days \(days): an application asks for \(GrantRequest.validDays.lowerBound) to \(GrantRequest.validDays.upperBound) days")
        }
    }

    func run() async throws {
        Console.jsonErrors = json
        let draft = ApplicationDraft(peer: peer, resource: resource, matter: matter, fields: fields.map(GrantCommand.Add.list) ?? [], purpose: purpose,
                                     basis: basis, days: days, contact: contact, requester: who.requester)
        let listing: ApplicationListing
        do {
            listing = try await socket.client.post("/v1/applications", body: try JSONCoding.encoder().encode(draft), as: ApplicationListing.self)
        } catch { throw Console.fail(error) }
        if json { return try Console.json(listing) }
        let application = listing.application
        print("applied \(application.id) to province \(application.peer): \(application.resource) for \(application.matter), "
              + "fields \(application.fields.joined(separator: ",")); the provider answers by \(application.dueDate)")
        if let warning = application.calendarWarning { Console.warning("the provider's due date: \(warning)") }
    }
}
