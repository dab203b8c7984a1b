import ArgumentParser

/// `tongbanctl store`: the province's state store (docs/deployment.md, "Two or more machines").
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "The province's state store: move a SQLite state directory onto PostgreSQL.",
        subcommands: [StoreMigrateCommand.self])
}
