import Foundation
import TongbanCore
import TongbanPKI

/// Signs a test federation's manifest synchronously, into the authority directory's `draft.json` and
/// `manifest.jws` (`AuthorityWorkspace.sign` is async and checks more; tests build manifests in initialisers).
struct TestAuthority {
    let directory: String

    /// Signs `manifest` as the next serial, valid a week from now; returns the serial.
    @discardableResult
    func sign(_ manifest: FederationManifest, now: Date = Date()) throws -> Int {
        var next = manifest
        let previous = (try? AuthorityWorkspace(directory: directory).draft().serial) ?? 0
        next.serial = max(manifest.serial, previous) + 1
        next.issuedAt = now
        next.expiresAt = now.addingTimeInterval(7 * 86_400)
        let problems = ManifestRules.problems(next)
        guard problems.isEmpty else { throw TongbanError(.manifestInvalid, problems.map(\.description).joined(separator: "; ")) }
        let jws = try FederationAuthority(directory: directory).sign(next)
        try PEMFile.replace(directory + "/" + AuthorityWorkspace.draftFile,
                            with: String(decoding: try JSONCoding.encoder(pretty: true).encode(next), as: UTF8.self), mode: 0o644)
        try PEMFile.replace(directory + "/" + AuthorityWorkspace.signedFile, with: jws + "\n", mode: 0o644)
        return next.serial
    }
}
