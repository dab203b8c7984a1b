import ArgumentParser
import Foundation
import TongbanCore
import TongbanPKI
import X509

extension FederationCommand {
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an authority directory: the authority's key and certificate (issued by the root CA), and an empty draft.")

        @OptionGroup var directory: AuthorityDirectoryOption
        @Option(name: .long, help: "The root CA directory made by 'pki init' (root.crt, root.key).") var ca: String
        @Option(name: .long, help: "The federation's id (e.g. cn-tongban): lowercase letters, digits, dots, hyphens.") var id: String
        @Option(name: .long, help: "The authority certificate's common name.") var name = "Tongban Federation Authority"
        @Option(name: .long, parsing: .unconditional, help: "Validity of the authority's certificate in days (1 to 825).") var days = 825
        @Option(name: .long, parsing: .unconditional, help: "Days a signed manifest is valid, by default (1 to 90; kept in authority.json).")
        var manifestDays = AuthoritySettings.defaultManifestDays

        func validate() throws {
            try PKICommand.check(days: days, in: FederationCA.provinceValidityDays, of: "the authority's certificate")
            guard AuthoritySettings.manifestDaysRange.contains(manifestDays) else {
                throw ValidationError("--manifest-days \(manifestDays): a manifest is valid for 1 to 90 days")
            }
        }

        func run() async throws {
            do {
                let root: FederationCA
                do { root = try FederationCA(directory: ca) } catch { throw TongbanError(error.code, "--ca: \(error.message)") }
                let workspace = try AuthorityWorkspace.create(directory: directory.dir, ca: root, federation: id, authorityName: name,
                                                              validityDays: days, manifestDays: manifestDays)
                let authority = try workspace.authority()
                print("created the authority of federation '\(id)' in \(directory.dir)")
                print("  authority  \(FederationAuthority.certificateFile) / \(FederationAuthority.keyFile)  "
                      + "valid until \(Console.date(authority.certificate.notValidAfter))")
                print("  root       \(AuthorityWorkspace.rootFile)  sha256 \(root.certificate.sha256Fingerprint)")
                print("  draft      \(AuthorityWorkspace.draftFile)  no members, \(Matter.defaults.count) matters; "
                      + "manifests valid \(manifestDays) days")
                print("next: tongbanctl federation member add --dir \(directory.dir) --tls-cert … --signing-cert … --url https://HOST:PORT")
            } catch { throw Console.fail(error) }
        }
    }
}
