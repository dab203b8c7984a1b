import ArgumentParser
import Foundation
import TongbanCore
import TongbanPKI

extension FederationCommand {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the draft (or, with --signed, the last signed manifest) as a table, or as JSON.")

        @OptionGroup var directory: AuthorityDirectoryOption
        @Flag(name: .long, help: "Show DIR/manifest.jws (verified against root.crt) instead of the draft.") var signed = false
        @Flag(name: .long, help: "Print the manifest as JSON.") var json = false

        func run() async throws {
            Console.jsonErrors = json
            do {
                let workspace = directory.workspace
                let manifest: FederationManifest
                if signed {
                    guard let verified = try await workspace.signed() else {
                        throw TongbanError(.manifestInvalid, "\(workspace.signedPath): nothing signed yet (federation sign)")
                    }
                    manifest = verified.manifest
                } else {
                    manifest = try workspace.draft()
                }
                if json { return try Console.json(manifest) }
                FederationCommand.printSummary(manifest, title: signed ? "signed manifest" : "draft")
            } catch { throw Console.fail(error) }
        }
    }

    /// A manifest as an operator reads it: its header lines, then one row per member.
    static func printSummary(_ manifest: FederationManifest, title: String) {
        let serial = manifest.serial == 0 ? "0 (never signed)" : String(manifest.serial)
        print("\(title) of federation '\(manifest.federation)', serial \(serial)")
        print("issued \(ISO8601.string(manifest.issuedAt))   expires \(ISO8601.string(manifest.expiresAt))")
        print("revocations \(manifest.revocations.count)   matters \(manifest.matters.count)   members \(manifest.members.count)")
        guard !manifest.members.isEmpty else { return }
        print("")
        Console.table(["PROVINCE", "NAME", "STATUS", "URLS", "PINS", "KEYS"], manifest.members.map { member in
            [member.province, member.name, member.status.rawValue, member.urls.joined(separator: " "), String(member.tlsPins.count),
             String(member.signingKeys.count)]
        })
        if !manifest.revocations.isEmpty {
            print("")
            Console.table(["REVOKED", "ID", "FROM", "REASON"], manifest.revocations.map {
                [$0.kind.rawValue, String($0.id.prefix(16)) + ($0.id.count > 16 ? "…" : ""), ISO8601.string($0.at), $0.reason]
            })
        }
    }
}
