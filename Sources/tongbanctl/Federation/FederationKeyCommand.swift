import ArgumentParser
import Foundation
import TongbanCore
import TongbanPKI
import X509

/// `tongbanctl federation key`: a province's message-signing keys (rotation: add the next key, then retire the old).
struct FederationKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Add or retire a province's signing key (rotation without a gap).",
        subcommands: [Add.self, Retire.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a signing key from a signing certificate or (SM2) a public key; its window must overlap a key of the province in force.")

        @OptionGroup var directory: AuthorityDirectoryOption
        @Option(name: .long, help: "Province code (GB/T 2260).") var province: String
        @Option(name: .long, help: "The province's new signing certificate (must chain to root.crt and name the province).") var signingCert: String?
        @Option(name: .long, help: "Or its new signing public key in PEM (SM2, signing.pub; the authority vouches for it by signing).")
        var publicKey: String?
        @Option(name: .long, help: "In force from (ISO 8601; default: the certificate's notBefore, or now).") var notBefore: String?
        @Option(name: .long, help: "In force until (ISO 8601; default: the certificate's notAfter, or --days after --not-before).") var notAfter: String?
        @Option(name: .long, parsing: .unconditional, help: "With --public-key and no --not-after: days in force (1 to 825).") var days = 397

        func validate() throws {
            guard (signingCert == nil) != (publicKey == nil) else {
                throw ValidationError("give one of --signing-cert (P-256, Ed25519) and --public-key (SM2)")
            }
            try PKICommand.check(days: days, in: FederationCA.provinceValidityDays, of: "a signing key")
        }

        func run() async throws {
            do {
                let code = try FederationCommand.province(province)
                let from = try FederationCommand.date(notBefore, option: "--not-before")
                let until = try FederationCommand.date(notAfter, option: "--not-after")
                let key: MemberSigningKey
                if let signingCert {
                    let certificate = try FederationCommand.certificate(signingCert, option: "--signing-cert")
                    key = try await directory.workspace.addKey(province: code, signingCertificate: certificate, notBefore: from, notAfter: until,
                                                               source: "--signing-cert \(signingCert)")
                } else {
                    let entry = try FederationCommand.publicKey(publicKey ?? "", option: "--public-key", notBefore: from, notAfter: until, days: days)
                    key = try directory.workspace.addKey(province: code, publicKey: entry, source: "--public-key \(publicKey ?? "")")
                }
                print("added key \(key.kid) (\(key.alg)) to province \(code), "
                      + "in force \(Console.date(key.notBefore)) to \(Console.date(key.notAfter))")
            } catch { throw Console.fail(error) }
        }
    }

    struct Retire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Retire a signing key (its notAfter becomes --at); the province's last key in force is refused.")

        @OptionGroup var directory: AuthorityDirectoryOption
        @Option(name: .long, help: "Province code (GB/T 2260).") var province: String
        @Option(name: .long, help: "The key id (64 hex digits).") var kid: String
        @Option(name: .long, help: "Out of force from (ISO 8601; default: now).") var at: String?

        func run() async throws {
            do {
                let code = try FederationCommand.province(province)
                let time = try FederationCommand.date(at, option: "--at") ?? Date()
                try directory.workspace.retireKey(province: code, kid: kid, at: time)
                print("key \(kid.prefix(16))… of province \(code) is out of force from \(Console.date(time))")
            } catch { throw Console.fail(error) }
        }
    }
}
