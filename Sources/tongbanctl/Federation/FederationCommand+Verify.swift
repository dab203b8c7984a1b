import ArgumentParser
import Foundation
import TongbanCore
import TongbanPKI
import X509

extension FederationCommand {
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify a signed manifest as a gateway does: signer under ROOT, ES256 signature, rules, federation, not expired.")

        @Argument(help: "The signed manifest (a compact JWS, e.g. manifest.jws).") var file: String
        @Option(name: .long, help: "The federation root certificate(s) (PEM).") var root: String
        @Option(name: .long, help: "The federation id the manifest must name.") var federation: String?
        @Flag(name: .long, help: "Print the result as JSON.") var json = false

        /// What `--json` prints.
        struct Summary: Encodable {
            var valid: Bool
            var serial: Int
            var federation: String
            var issuedAt: Date
            var expiresAt: Date
            var members: Int
            var suspended: Int
            var revocations: Int
            var matters: Int
            var signer: String
            var signerFingerprint: String
        }

        func run() async throws {
            Console.jsonErrors = json
            do {
                let roots: [Certificate]
                do { roots = try PEMFile.readCertificates(root) } catch { throw TongbanError(error.code, "--root: \(error.message)") }
                let text: String
                do { text = try PEMFile.readText(file) } catch { throw TongbanError(.manifestInvalid, error.message) }
                let now = Date()
                let verified: VerifiedManifest
                do { verified = try await ManifestJWS.verify(text, trust: FederationTrust(roots: roots), federation: federation, at: now) } catch {
                    throw TongbanError(error.code, "\(file): \(error.message)")
                }
                let manifest = verified.manifest
                guard manifest.expiresAt > now else {
                    throw TongbanError(.federationExpired,
                                       "\(file): serial \(manifest.serial) is signed correctly but expired at \(ISO8601.string(manifest.expiresAt))")
                }
                let summary = Summary(valid: true, serial: manifest.serial, federation: manifest.federation, issuedAt: manifest.issuedAt,
                                      expiresAt: manifest.expiresAt, members: manifest.members.count,
                                      suspended: manifest.members.filter { $0.status == .suspended }.count,
                                      revocations: manifest.revocations.count, matters: manifest.matters.count,
                                      signer: verified.authority.commonName, signerFingerprint: verified.authority.sha256Fingerprint)
                if json { return try Console.json(summary) }
                print("\(file): valid manifest serial \(summary.serial) of federation '\(summary.federation)'")
                print("  issued   \(ISO8601.string(summary.issuedAt))   expires \(ISO8601.string(summary.expiresAt))")
                let suspended = summary.suspended > 0 ? " (\(summary.suspended) suspended)" : ""
                print("  members  \(summary.members)\(suspended)   revocations \(summary.revocations)   matters \(summary.matters)")
                print("  signer   \(summary.signer)   sha256 \(summary.signerFingerprint)")
            } catch { throw Console.fail(error) }
        }
    }
}
