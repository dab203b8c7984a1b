import ArgumentParser
import Foundation
import TongbanCore
import TongbanPKI
import X509

/// `tongbanctl federation member`: the provinces of the federation manifest's draft.
struct FederationMemberCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member", abstract: "Add, change, suspend, resume or remove a province in the manifest's draft.",
        subcommands: [Add.self, Update.self, Suspend.self, Resume.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a province from its TLS certificate and its signing certificate or (SM2) signing public key.",
            discussion: "Certificates must chain to the directory's root.crt. An SM2 signing key has no certificate: give its public key "
                + "(signing.pub from 'pki issue --signing-alg sm2') with --signing-public-key.")

        @OptionGroup var directory: AuthorityDirectoryOption
        @Option(name: .long, help: "The province's TLS certificate (its key is pinned).") var tlsCert: String
        @Option(name: .long, help: "The province's signing certificate (its key becomes a signing key).") var signingCert: String?
        @Option(name: .long, help: "Or the province's signing public key in PEM (SM2; in force from now for --days).") var signingPublicKey: String?
        @Option(name: .long, parsing: .unconditional, help: "With --signing-public-key: days the key is in force (1 to 825).") var days = 397
        @Option(name: .long, parsing: .unconditionalSingleValue, help: "Its peer listener, https://HOST:PORT (repeatable; the first is used).")
        var url: [String] = []
        @Option(name: .long, help: "The province's name (default: its official name).") var name: String?

        func validate() throws {
            guard (signingCert == nil) != (signingPublicKey == nil) else {
                throw ValidationError("give one of --signing-cert (P-256, Ed25519) and --signing-public-key (SM2)")
            }
            try PKICommand.check(days: days, in: FederationCA.provinceValidityDays, of: "a signing key")
        }

        func run() async throws {
            do {
                let tls = try FederationCommand.certificate(tlsCert, option: "--tls-cert")
                let workspace = directory.workspace
                let member: FederationMember
                if let signingCert {
                    let signing = try FederationCommand.certificate(signingCert, option: "--signing-cert")
                    member = try await workspace.addMember(tlsCertificate: tls, signingCertificate: signing, urls: url, name: name,
                                                           tlsSource: "--tls-cert \(tlsCert)", signingSource: "--signing-cert \(signingCert)")
                } else {
                    let key = try FederationCommand.publicKey(signingPublicKey ?? "", option: "--signing-public-key", notBefore: nil, notAfter: nil, days: days)
                    member = try await workspace.addMember(tlsCertificate: tls, signingKey: key, urls: url, name: name, tlsSource: "--tls-cert \(tlsCert)")
                }
                let index = try workspace.draft().members.firstIndex { $0.province == member.province } ?? 0
                print("added province \(member.province) \(member.name) as members[\(index)]")
                print("  urls  \(member.urls.joined(separator: " "))")
                print("  pin   \(member.tlsPins.joined(separator: " "))")
                print("  key   \(member.signingKeys.map(\.kid).joined(separator: " "))")
                print("next: tongbanctl federation sign --dir \(directory.dir)")
            } catch { throw Console.fail(error) }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a province: its URLs (replaced), its name, a new TLS key pinned (--add-tls-cert), a pin removed, the algorithms it accepts.")

        @OptionGroup var directory: AuthorityDirectoryOption
        @Option(name: .long, help: "Province code (GB/T 2260).") var province: String
        @Option(name: .long, parsing: .unconditionalSingleValue, help: "Its peer listener, https://HOST:PORT (repeatable; replaces the list).")
        var url: [String] = []
        @Option(name: .long, help: "The province's new name.") var name: String?
        @Option(name: .long, help: "A new TLS certificate of the province: its key's pin is added beside the old one.") var addTlsCert: String?
        @Option(name: .long, help: "A pin (sha256/…) to remove, once the province's gateways use the new TLS key.") var removePin: String?
        @Option(name: .long, help: "The signature algorithms the province accepts, comma-separated (e.g. sm2-sm3 to require the national algorithms), or 'any'.")
        var accepts: String?

        func run() async throws {
            do {
                let code = try FederationCommand.province(province)
                let certificate = try addTlsCert.map { path throws(TongbanError) in
                    try FederationCommand.certificate(path, option: "--add-tls-cert")
                }
                let member = try await directory.workspace.updateMember(
                    province: code, urls: url.isEmpty ? nil : url, name: name, addTLSCertificate: certificate,
                    tlsSource: "--add-tls-cert \(addTlsCert ?? "")", removePin: removePin,
                    accepts: accepts.map { $0 == "any" ? [] : $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } })
                print("updated province \(member.province) \(member.name): \(member.urls.joined(separator: " ")); \(member.tlsPins.count) pins; "
                      + "accepts \(member.accepts?.joined(separator: ", ") ?? "any algorithm")")
            } catch { throw Console.fail(error) }
        }
    }

    struct Suspend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Suspend a province: once signed, every gateway refuses its handshakes and signatures and stops calling it.")

        @OptionGroup var directory: AuthorityDirectoryOption
        @Option(name: .long, help: "Province code (GB/T 2260).") var province: String
        @Option(name: .long, help: "Why (kept in journal.log).") var reason: String

        func run() async throws {
            do {
                let code = try FederationCommand.province(province)
                try directory.workspace.setStatus(province: code, .suspended, reason: reason)
                print("suspended province \(code) (\(reason)); next: tongbanctl federation sign --dir \(directory.dir)")
            } catch { throw Console.fail(error) }
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lift a province's suspension (status back to active).")

        @OptionGroup var directory: AuthorityDirectoryOption
        @Option(name: .long, help: "Province code (GB/T 2260).") var province: String
        @Option(name: .long, help: "Why (kept in journal.log).") var reason: String?

        func run() async throws {
            do {
                let code = try FederationCommand.province(province)
                try directory.workspace.setStatus(province: code, .active, reason: reason)
                print("province \(code) is active again; next: tongbanctl federation sign --dir \(directory.dir)")
            } catch { throw Console.fail(error) }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a province from the federation (its keys with it).")

        @OptionGroup var directory: AuthorityDirectoryOption
        @Option(name: .long, help: "Province code (GB/T 2260).") var province: String

        func run() async throws {
            do {
                let code = try FederationCommand.province(province)
                try directory.workspace.removeMember(province: code)
                print("removed province \(code); next: tongbanctl federation sign --dir \(directory.dir)")
            } catch { throw Console.fail(error) }
        }
    }
}
