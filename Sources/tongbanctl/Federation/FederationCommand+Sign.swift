import ArgumentParser
import Foundation
import TongbanCore
import TongbanPKI

extension FederationCommand {
    struct Sign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign the draft as the next manifest (serial + 1) and write DIR/manifest.jws; nothing is written if a rule is broken.")

        @OptionGroup var directory: AuthorityDirectoryOption
        @Option(name: .long, parsing: .unconditional, help: "Days the manifest is valid (1 to 90; default: authority.json's manifestDays).")
        var days: Int?

        func run() async throws {
            do {
                let signed = try await directory.workspace.sign(days: days)
                let manifest = signed.manifest
                let suspended = manifest.members.filter { $0.status == .suspended }.count
                print("signed manifest serial \(manifest.serial) of federation '\(manifest.federation)' to \(signed.path)")
                print("  members     \(manifest.members.count)\(suspended > 0 ? " (\(suspended) suspended)" : "")")
                print("  revocations \(manifest.revocations.count)   matters \(manifest.matters.count)")
                print("  size        \(signed.bytes) bytes")
                print("  issued      \(ISO8601.string(manifest.issuedAt))   expires \(ISO8601.string(manifest.expiresAt))")
                print("  sha256      \(signed.sha256)")
                print("verified against \(directory.dir)/\(AuthorityWorkspace.rootFile) as written")
            } catch { throw Console.fail(error) }
        }
    }
}
