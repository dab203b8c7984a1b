import ArgumentParser
import Crypto
import Foundation
import TongbanCore
import TongbanPKI
import SwiftASN1
import X509

/// `tongbanctl pki`: the federation's certificate authority.
struct PKICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pki", abstract: "Federation PKI: create the root CA, issue and renew province certificates.",
        subcommands: [Init.self, Issue.self, Renew.self])

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the federation root CA (P-256): DIR/root.crt and DIR/root.key (mode 0600).")

        @Option(name: .long, help: "Directory for the CA files.") var dir: String
        @Option(name: .long, help: "The root's common name.") var name = "Tongban Federation Root CA"
        @Option(name: .long, parsing: .unconditional, help: "Validity in days (1 to 7300).") var days = 3650

        func validate() throws {
            try PKICommand.check(days: days, in: FederationCA.rootValidityDays, of: "a root certificate")
        }

        func run() async throws {
            do {
                let ca = try FederationCA.create(name: name, validityDays: days)
                try ca.write(to: dir)
                print("created federation root '\(name)' in \(dir) (\(FederationCA.certificateFile), \(FederationCA.keyFile))")
                print("fingerprint sha256 \(ca.certificate.sha256Fingerprint)")
            } catch { throw Console.fail(error) }
        }
    }

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a province's TLS certificate (serverAuth+clientAuth) and signing certificate (digitalSignature+nonRepudiation).")

        @Option(name: .long, help: "The CA directory made by 'pki init'.") var ca: String
        @Option(name: .long, help: "Province code (GB/T 2260, e.g. 11).") var province: String
        @Option(name: .long, help: "Output directory.") var out: String
        @Option(name: .long, parsing: .unconditionalSingleValue, help: "DNS name of the gateway's peer listener (repeatable; RFC 1123, no wildcard).")
        var dns: [String] = []
        @Option(name: .long, parsing: .unconditionalSingleValue, help: "IP address of the gateway's peer listener (repeatable).")
        var ip: [String] = []
        @Option(name: .long, parsing: .unconditional, help: "Validity in days (1 to 825).") var days = 397
        @Option(name: .long, help: "Signing key type: p256 (ecdsa-p256-sha256), ed25519, or sm2 (sm2-sm3: a key and signing.pub, no certificate).")
        var signingAlg: SigningKeyType = .p256

        func validate() throws {
            try PKICommand.check(days: days, in: FederationCA.provinceValidityDays, of: "a province certificate")
            for name in dns {
                if let problem = DNSName.problem(with: name) { throw ValidationError("--dns '\(name)': not a DNS name: \(problem)") }
            }
            for address in ip where IPAddress.bytes(of: address) == nil {
                throw ValidationError("--ip '\(address)': not an IPv4 or IPv6 address")
            }
        }

        func run() async throws {
            do {
                let code = try ProvinceCode(province)
                let authority = try FederationCA(directory: ca)
                let credentials = try ProvinceCredentials.issue(by: authority, province: code, dnsNames: dns, ipAddresses: ip,
                                                                  signingKeyType: signingAlg, validityDays: days)
                try credentials.write(to: out)
                print("issued certificates for province \(code) \(code.officialName) in \(out)")
                print("  TLS      \(ProvinceCredentials.tlsCertificateFile) / \(ProvinceCredentials.tlsKeyFile)")
                let signingFile = credentials.signingCertificate == nil ? ProvinceCredentials.signingPublicKeyFile : ProvinceCredentials.signingCertificateFile
                print("  signing  \(signingFile) / \(ProvinceCredentials.signingKeyFile)  \(credentials.signing.algorithm) key id \(credentials.signing.keyID)")
                print("  root     \(ProvinceCredentials.rootFile)")
                if credentials.signingCertificate == nil {
                    print("an SM2 key has no certificate: give the authority \(ProvinceCredentials.signingPublicKeyFile) "
                          + "(tongbanctl federation member add --signing-public-key, or key add --public-key),")
                    print("and leave signing.certificate out of tongband.yaml")
                }
            } catch { throw Console.fail(error) }
        }
    }

    struct Renew: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Renew a TLS or signing certificate: same subject, names and usages, new validity; same key or (--new-key) a new one.",
            discussion: """
                Replaces --cert (and --key with --new-key) atomically; then run 'tongbanctl reload' (or systemctl reload tongband). \
                A CA certificate (the federation root) is refused: a new root is made with 'pki init' and added to \
                tls.federationRoots on every gateway (docs/operations.md).
                """)

        @Option(name: .long, help: "The CA directory made by 'pki init'.") var ca: String
        @Option(name: .long, help: "The certificate to renew (replaced in place).") var cert: String
        @Option(name: .long, help: "Its private key.") var key: String
        @Flag(name: .long, help: "Generate a new key of the same type (replaces --key, mode 0600).") var newKey = false
        @Option(name: .long, parsing: .unconditional, help: "Validity in days (1 to 825).") var days = 397

        func validate() throws {
            try PKICommand.check(days: days, in: FederationCA.provinceValidityDays, of: "a province certificate")
        }

        func run() async throws {
            do {
                let authority = try FederationCA(directory: ca)
                let old = try PEMFile.readCertificate(cert)
                let oldKey = try PEMFile.readPrivateKey(key)
                guard oldKey.publicKey == old.publicKey else {
                    throw TongbanError(.pkiInvalid, "\(key) is not the key of \(cert)")
                }
                let privateKey: Certificate.PrivateKey
                if newKey {
                    privateKey = P256.Signing.PublicKey(old.publicKey) != nil
                        ? Certificate.PrivateKey(P256.Signing.PrivateKey()) : Certificate.PrivateKey(Curve25519.Signing.PrivateKey())
                } else {
                    privateKey = oldKey
                }
                let renewed: Certificate
                do { renewed = try authority.renew(old, publicKey: privateKey.publicKey, validityDays: days) } catch {
                    throw TongbanError(error.code, "--cert \(cert): \(error.message)")
                }
                if newKey { try PEMFile.replace(key, with: try privateKey.serializeAsPEM().pemString + "\n", mode: 0o600) }
                try PEMFile.replace(cert, with: try renewed.serializeAsPEM().pemString + "\n", mode: 0o644)
                print("renewed \(cert): \(renewed.subject)")
                print("  valid until \(Console.date(renewed.notValidAfter))   key id \(renewed.sha256Fingerprint)\(newKey ? "   (new key in \(key))" : "")")
                print("next: tongbanctl reload   (or systemctl reload tongband)")
            } catch { throw Console.fail(error) }
        }
    }
}

extension PKICommand {
    /// Refuses `--days` outside `range`, before anything is read or written.
    static func check(days: Int, in range: ClosedRange<Int>, of what: String) throws {
        guard range.contains(days) else {
            throw ValidationError("--days \(days): \(what) is valid for \(range.lowerBound) to \(range.upperBound) days")
        }
    }
}

extension SigningKeyType: ExpressibleByArgument {}
