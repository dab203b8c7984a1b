import ArgumentParser
import Foundation
import TongbanCore
import TongbanPKI
import X509

extension FederationCommand {
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a signing key (--kid) or a certificate (--certificate-serial or --certificate) from --at (default now).")

        @OptionGroup var directory: AuthorityDirectoryOption
        @Option(name: .long, help: "A signing key's id (64 hex digits) listed in the manifest.") var kid: String?
        @Option(name: .long, help: "A certificate's serial number in hex (colons allowed).") var certificateSerial: String?
        @Option(name: .long, help: "A certificate file whose serial is revoked.") var certificate: String?
        @Option(name: .long, help: "Why (required; published in the manifest).") var reason: String
        @Option(name: .long, help: "Effective from (ISO 8601; default: now).") var at: String?

        func validate() throws {
            guard [kid, certificateSerial, certificate].compactMap({ $0 }).count == 1 else {
                throw ValidationError("give exactly one of --kid, --certificate-serial, --certificate")
            }
        }

        func run() async throws {
            do {
                let time = try FederationCommand.date(at, option: "--at") ?? Date()
                let workspace = directory.workspace
                if let kid {
                    try workspace.revoke(.key, id: kid, reason: reason, at: time)
                    print("revoked key \(kid.prefix(16))… from \(Console.date(time)): \(reason)")
                } else {
                    let serial = try certificateSerial ?? FederationCommand.certificate(certificate ?? "", option: "--certificate").serialHex
                    try workspace.revoke(.certificate, id: serial, reason: reason, at: time)
                    print("revoked certificate \(ManifestRevocation.normalizedSerial(serial)) from \(Console.date(time)): \(reason)")
                }
                print("next: tongbanctl federation sign --dir \(directory.dir)")
            } catch { throw Console.fail(error) }
        }
    }
}
