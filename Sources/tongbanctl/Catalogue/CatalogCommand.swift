import ArgumentParser
import Foundation
import TongbanClient
import TongbanCore

/// `tongbanctl catalog`: the resource directories of this province and its peers.
struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog", abstract: "Resource directories: this province's, one peer's, or all.", subcommands: [List.self, Show.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List shared resources: local, --peer CODE, or --all (fetched in parallel).")

        @OptionGroup var socket: SocketOption
        @Option(name: .long, help: "A peer province's code.") var peer: String?
        @Flag(name: .long, help: "This province and every peer.") var all = false
        @Flag(name: .long, help: "Print JSON.") var json = false

        func validate() throws {
            if all, let peer {
                throw ValidationError(
                    "--peer \(peer) and --all cannot be combined: --peer lists one peer's directory, --all this province's and every peer's")
            }
        }

        func run() async throws {
            let path = all ? "/v1/catalogues?all=1" : peer.map { "/v1/catalogues?peer=\($0)" } ?? "/v1/catalogues"
            let listings: [CatalogueListing]
            do { listings = try await socket.client.get(path, as: [CatalogueListing].self) } catch { throw Console.fail(error) }
            if json { return try Console.json(listings) }
            var rows: [[String]] = []
            for listing in listings {
                guard let catalogue = listing.catalogue else {
                    rows.append([listing.province, "-", "(unavailable: \(listing.error ?? "no copy"))", "-", "-", "-", "-"])
                    continue
                }
                let mark = listing.stale ? " (stale, \(Int(listing.ageSeconds)) s old)" : ""
                for resource in catalogue.resources {
                    rows.append([listing.province + mark, resource.code, resource.name, resource.sharing.type.chineseName,
                                 String(resource.fields.count), resource.recordCount.map(String.init) ?? "-", resource.modifiedAt])
                }
            }
            Console.table(["PROVINCE", "CODE", "NAME", "SHARE TYPE", "FIELDS", "RECORDS", "UPDATED"], rows)
            if listings.contains(where: { $0.catalogue == nil }) { throw ExitCode(1) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one resource with its fields.")

        @OptionGroup var socket: SocketOption
        @Option(name: .long, help: "A peer province's code (default: this province).") var peer: String?
        @Flag(name: .long, help: "Print JSON.") var json = false
        @Argument(help: "The resource code.") var code: String

        func run() async throws {
            let path = peer.map { "/v1/catalogues?peer=\($0)" } ?? "/v1/catalogues"
            let listings: [CatalogueListing]
            do { listings = try await socket.client.get(path, as: [CatalogueListing].self) } catch { throw Console.fail(error) }
            guard let resource = listings.first?.catalogue?.resource(code) else {
                throw Console.fail(TongbanError(.notFound, "no resource \(code) in \(peer.map { "province \($0)'s" } ?? "this province's") directory"))
            }
            if json { return try Console.json(resource) }
            print("\(resource.code)  \(resource.name)")
            print("category    \(resource.category.kind.rawValue) / \(resource.category.path.joined(separator: " / "))")
            print("provider    \(resource.provider.name) (\(resource.provider.code))")
            print("summary     \(resource.summary)")
            print("sharing     \(resource.sharing.type.chineseName) (\(resource.sharing.type.rawValue))\(resource.sharing.condition.map { "; condition: \($0)" } ?? "")")
            print("open        \(resource.openType.rawValue)   update \(resource.updateCycle.rawValue)   format \(resource.format)")
            print("published   \(resource.publishedAt)   modified \(resource.modifiedAt)   records \(resource.recordCount.map(String.init) ?? "-")")
            print("subject     \(resource.subjectField)")
            Console.table(["FIELD", "TITLE", "TYPE", "REQUIRED", "SENSITIVE", "MASKING"], resource.fields.map {
                [$0.name, $0.title, $0.type.rawValue + ($0.codeSystem.map { " (\($0.rawValue))" } ?? ""), $0.required ? "yes" : "no",
                 $0.sensitive ? "yes" : "no", $0.masking?.rawValue ?? "-"]
            })
        }
    }
}
