import ArgumentParser
import Foundation
import TongbanClient
import TongbanCore

/// `tongbanctl grant add|list|revoke`: permissions for peers to obtain conditionally shared resources.
struct GrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grant", abstract: "Grants for conditionally shared (有条件共享) resources.",
                                                    subcommands: [Add.self, List.self, Revoke.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Grant a peer a resource for one matter.")
        @OptionGroup var socket: SocketOption
        @Option(name: .long, help: "The peer province.") var peer: String
        @Option(name: .long, help: "The resource code.") var resource: String
        @Option(name: .long, help: "The matter code.") var matter: String
        @Option(name: .long, help: "Comma-separated fields granted (default: all the matter needs).") var fields = ""
        @Option(name: .long, help: "Comma-separated sensitive fields the peer may see unmasked.") var clear = ""
        @Option(name: .long, help: "Validity in days.") var days = 365
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() async throws {
            func list(_ text: String) -> [String] { text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            let request = GrantRequest(peer: peer, resource: resource, matter: matter, fields: list(fields), clearFields: list(clear), days: days)
            let grant: Grant
            do { grant = try await socket.client.post("/v1/grants", body: try JSONCoding.encoder().encode(request), as: Grant.self) } catch { throw Console.fail(error) }
            if json { return try Console.json(grant) }
            print("granted \(grant.id): province \(grant.peer) may obtain \(grant.resource) for \(grant.matter), fields \(grant.fields.joined(separator: ",")), until \(Console.date(grant.validUntil))")
        }
    }

    struct List: AsyncParsableCommand {
        @OptionGroup var socket: SocketOption
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() async throws {
            let grants: [Grant]
            do { grants = try await socket.client.get("/v1/grants", as: [Grant].self) } catch { throw Console.fail(error) }
            if json { return try Console.json(grants) }
            let now = Date()
            Console.table(["GRANT", "PEER", "RESOURCE", "MATTER", "FIELDS", "CLEAR", "UNTIL", "STATE"], grants.map {
                [$0.id, $0.peer, $0.resource, $0.matter, $0.fields.joined(separator: ","), $0.clearFields.joined(separator: ","), Console.date($0.validUntil),
                 $0.revokedAt != nil ? "revoked" : $0.isActive(at: now) ? "active" : "expired"]
            })
        }
    }

    struct Revoke: AsyncParsableCommand {
        @OptionGroup var socket: SocketOption
        @Argument(help: "The grant id.") var id: String

        func run() async throws {
            do { _ = try await socket.client.post("/v1/grants/\(id)/revoke", body: Data(), as: [String: String].self) } catch { throw Console.fail(error) }
            print("revoked \(id)")
        }
    }
}
