import ArgumentParser
import TongbanClient
import TongbanCore

/// `tongbanctl matters list`: the registry of cross-province matters and what each needs.
struct MattersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "matters", abstract: "Cross-province matters (事项).", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the matters in the registry, each resource it needs and exactly which fields.",
            discussion: "A query or verify names one matter and gets at most these fields; a grant covers one matter. "
                + "The list is the national one in the federation manifest, which the authority imports.")
        @OptionGroup var socket: SocketOption
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() async throws {
            let matters: [Matter]
            do { matters = try await socket.client.get("/v1/matters", as: [Matter].self) } catch { throw Console.fail(error) }
            if json { return try Console.json(matters) }
            Console.table(["MATTER", "NAME", "CASE REF", "RESOURCE", "FIELDS"], matters.flatMap { matter in
                matter.needs.keys.sorted().map {
                    [matter.code, matter.name, matter.needsCaseReference ? "required" : "-", $0, matter.needs[$0]!.joined(separator: ",")]
                }
            })
        }
    }
}
