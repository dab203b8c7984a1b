import Crypto
import Foundation
import TongbanCore
import X509

extension AuthorityWorkspace {
    /// Signs the draft as the next manifest and publishes it to `manifest.jws`: serial one above both the draft's
    /// and the last signed one's, issued now, expiring `days` later (`authority.json`'s `manifestDays` by
    /// default). Refused, with nothing written, when the manifest breaks a rule. The JWS is verified against
    /// `root.crt` before it is written and again as read back from the file; the draft keeps the new serial.
    /// Re-signing an unchanged draft is allowed: that is how the manifest is kept from expiring.
    public func sign(days: Int? = nil, now: Date = Date()) async throws(TongbanError) -> SignedManifest {
        let now = Self.wholeSeconds(now)
        let lifetime: Int
        if let days { lifetime = days } else { lifetime = try settings().manifestDays }
        guard AuthoritySettings.manifestDaysRange.contains(lifetime) else {
            throw TongbanError(.manifestInvalid, "days: a manifest is valid for \(AuthoritySettings.manifestDaysRange.lowerBound) to "
                               + "\(AuthoritySettings.manifestDaysRange.upperBound) days, not \(lifetime)")
        }
        var manifest = try draft()
        manifest.serial = max(manifest.serial, try lastSignedSerial() ?? 0) + 1
        manifest.issuedAt = now
        manifest.expiresAt = now.addingTimeInterval(Double(lifetime) * 86_400)
        let problems = ManifestRules.problems(manifest)
        guard problems.isEmpty else {
            throw TongbanError(.manifestInvalid, "\(draftPath): " + problems.map(\.description).joined(separator: "; "))
        }
        let authority = try authority()
        let trust = try trust()
        let jws: String
        do { jws = try authority.sign(manifest) } catch {
            throw TongbanError(.manifestInvalid, "\(path(FederationAuthority.keyFile)): cannot sign (\(error))")
        }
        do { _ = try await ManifestJWS.verify(jws, trust: trust, federation: manifest.federation, at: now) } catch {
            throw TongbanError(error.code, "the manifest just signed does not verify against \(path(Self.rootFile)): \(error.message)")
        }
        try write(Data(jws.utf8), to: Self.signedFile)
        try save(manifest)
        journal("sign serial \(manifest.serial), \(manifest.members.count) members, expires \(ISO8601.string(manifest.expiresAt))")

        let written = try read(Self.signedFile)
        let verified: VerifiedManifest
        do {
            verified = try await ManifestJWS.verify(String(decoding: written, as: UTF8.self), trust: trust, federation: manifest.federation, at: now)
        } catch {
            throw TongbanError(error.code, "\(signedPath) as written does not verify: \(error.message)")
        }
        guard verified.manifest == manifest else {
            throw TongbanError(.manifestInvalid, "\(signedPath) as written is not the manifest signed")
        }
        return SignedManifest(manifest: manifest, jws: jws, path: signedPath, sha256: SHA256.hash(data: written).hexString)
    }

    /// The serial of `manifest.jws`, read without verifying it (an expired authority certificate must not let the
    /// serial go back); nil when there is no file.
    func lastSignedSerial() throws(TongbanError) -> Int? {
        guard FileManager.default.fileExists(atPath: signedPath) else { return nil }
        let parts = String(decoding: try read(Self.signedFile), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let payload = Base64URL.decode(parts[1]),
              let manifest = try? JSONCoding.decoder().decode(FederationManifest.self, from: Data(payload)) else {
            throw TongbanError(.manifestInvalid, "\(signedPath): not a signed manifest, so its serial is unknown; move it aside to sign afresh")
        }
        return manifest.serial
    }
}
