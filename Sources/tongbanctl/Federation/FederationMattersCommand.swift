import ArgumentParser
import Foundation
import TongbanCore
import TongbanPKI

/// `tongbanctl federation matters`: the national matters list (跨省通办事项清单) in the manifest's draft.
struct FederationMattersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matters", abstract: "The national matters list of the manifest's draft.", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the draft's matters with a file: YAML (matters: [{code, name, needs}]) or a JSON array of matters.")

        @OptionGroup var directory: AuthorityDirectoryOption
        @Option(name: .long, help: "The matters file (.yaml, .yml or .json).") var file: String

        func run() async throws {
            do {
                let matters = try MattersFile.load(file)
                try directory.workspace.setMatters(matters)
                print("imported \(matters.count) matters from \(file): \(matters.map(\.code).joined(separator: ", "))")
                print("next: tongbanctl federation sign --dir \(directory.dir)")
            } catch { throw Console.fail(error) }
        }
    }
}
