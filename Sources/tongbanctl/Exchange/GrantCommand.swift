import ArgumentParser
import Foundation
import TongbanClient
import TongbanCore

/// `tongbanctl grant add|list|revoke`: permissions for peers to obtain conditionally shared resources.
struct GrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grant", abstract: "Grants for conditionally shared (有条件共享) resources.",
                                                    subcommands: [Add.self, List.self, Revoke.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Grant a peer a conditionally shared resource for one matter.",
            discussion: """
                The daemon refuses a grant that could never be used: for a province that is not a configured peer (or for \
                this one), on a resource that is 无条件共享 or 不予共享, on a field the resource lacks or the matter does not \
                need, --clear on a field that is not granted or not sensitive, and while an active grant for the same peer, \
                resource and matter exists (revoke that one first).
                """)
        @OptionGroup var socket: SocketOption
        @Option(name: .long, help: "The peer province.") var peer: String
        @Option(name: .long, help: "The resource code.") var resource: String
        @Option(name: .long, help: "The matter code.") var matter: String
        @Option(name: .long, help: "Comma-separated fields granted (default: every field the matter needs).") var fields: String?
        @Option(name: .long, help: "Comma-separated sensitive fields, among those granted, the peer may see unmasked.") var clear = ""
        @Option(name: .long, parsing: .unconditional, help: "Validity in days (1 to 3650).") var days = 365
        @Flag(name: .long, help: "Print JSON.") var json = false

        static func list(_ text: String) -> [String] {
            text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }

        func validate() throws {
            if let fields, Self.list(fields).isEmpty {
                throw ValidationError("--fields '\(fields)' names no field: leave --fields out to grant every field the matter needs")
            }
            guard GrantRequest.validDays.contains(days) else {
                let range = GrantRequest.validDays
                throw ValidationError("--days \(days): a grant lasts \(range.lowerBound) to \(range.upperBound) days")
            }
        }

        func run() async throws {
            let request = GrantRequest(peer: peer, resource: resource, matter: matter, fields: fields.map(Self.list) ?? [],
                                       clearFields: Self.list(clear), days: days)
            let grant: Grant
            do { grant = try await socket.client.post("/v1/grants", body: try JSONCoding.encoder().encode(request), as: Grant.self) } catch { throw Console.fail(error) }
            if json { return try Console.json(grant) }
            print("granted \(grant.id): province \(grant.peer) may obtain \(grant.resource) for \(grant.matter), fields \(grant.fields.joined(separator: ",")), until \(Console.date(grant.validUntil))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every grant, revoked and expired ones included, with its state.",
            discussion: "STATE is active, pending, expired or revoked, on the daemon's clock; --json gives it as 'state'.")
        @OptionGroup var socket: SocketOption
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() async throws {
            let grants: [GrantListing]
            do { grants = try await socket.client.get("/v1/grants", as: [GrantListing].self) } catch { throw Console.fail(error) }
            if json { return try Console.json(grants) }
            Console.table(["GRANT", "PEER", "RESOURCE", "MATTER", "FIELDS", "CLEAR", "UNTIL", "STATE"], grants.map { listing in
                let grant = listing.grant
                return [grant.id, grant.peer, grant.resource, grant.matter, grant.fields.joined(separator: ","),
                        grant.clearFields.joined(separator: ","), Console.date(grant.validUntil), listing.state.rawValue]
            })
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke an active grant: the peer's next request under it is refused.",
            discussion: "The grant stays on record (grant list shows it revoked). Takes effect at once, without a reload.")
        @OptionGroup var socket: SocketOption
        @Argument(help: "The grant id, as 'grant list' shows it (G-1a2b3c4d).") var id: String
        @Flag(name: .long, help: "Print {\"revoked\": ID} as JSON; errors as problem documents.") var json = false

        func validate() throws {
            guard Grant.isWellFormedID(id) else {
                throw ValidationError("'\(id)' is not a grant id: ids look like G-1a2b3c4d ('tongbanctl grant list' shows them)")
            }
        }

        func run() async throws {
            Console.jsonErrors = json
            let answer: [String: String]
            do { answer = try await socket.client.post("/v1/grants/\(id)/revoke", body: Data(), as: [String: String].self) } catch { throw Console.fail(error) }
            if json { try Console.json(answer) } else { print("revoked \(id)") }
        }
    }
}
