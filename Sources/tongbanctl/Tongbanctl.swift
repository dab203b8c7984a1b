import ArgumentParser
import TongbanCore

/// `tongbanctl`: the administrator's command line for a Tongban gateway and its federation.
@main
struct Tongbanctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tongbanctl",
        abstract: "Administer a Tongban (通办) gateway: federation PKI, daemon status, peers, local demo federation.",
        version: TongbanVersion.current,
        subcommands: [PKICommand.self, StatusCommand.self, ReloadCommand.self, DrainCommand.self, PeersCommand.self, CatalogCommand.self, ImportCommand.self,
                      MattersCommand.self, RecordsCommand.self, GrantCommand.self, QueryCommand.self, VerifyCommand.self, AuditCommand.self, TokenCommand.self,
                      ApplyCommand.self, ApplicationsCommand.self, CorrectionCommand.self, CorrectionsCommand.self, UsageCommand.self, FederationCommand.self, CalendarCommand.self, StoreCommand.self, DemoCommand.self])
}
