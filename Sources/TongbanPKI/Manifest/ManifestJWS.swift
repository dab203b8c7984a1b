import Crypto
import Foundation
import SwiftASN1
import TongbanCore
import TongbanGM
import X509

/// The federation manifest as a JWS (RFC 7515) in compact serialization, signed ES256 by the federation
/// authority; any JOSE library verifies it with the public key of the `x5c` certificate. `sign` makes one;
/// `verify` checks one the way every gateway and `tongbanctl federation verify` do.
public enum ManifestJWS {
    /// Largest signed manifest read: 31 provinces take ≈ 40 KB; the cap leaves room for the ministries.
    public static let maximumBytes = 4 << 20

    /// `manifest` signed by `authority` (its key and certificate), with the payload as the manifest's JSON
    /// (sorted keys, no whitespace).
    public static func sign(_ manifest: FederationManifest, key: P256.Signing.PrivateKey, certificate: Certificate) throws -> String {
        let header = ManifestHeader(alg: "ES256", typ: ManifestHeader.type, kid: certificate.sha256Fingerprint,
                                    x5c: [Data(certificate.derBytes).base64EncodedString()], crit: nil)
        let headerPart = Base64URL.encode(try JSONCoding.encoder().encode(header))
        let payloadPart = Base64URL.encode(try JSONCoding.encoder().encode(manifest))
        let input = headerPart + "." + payloadPart
        let signature = try key.signature(for: Data(input.utf8))
        return input + "." + Base64URL.encode(signature.rawRepresentation)
    }

    /// The manifest of `jws` when it is a compact JWS, ES256, signed by a certificate that `trust` accepts as the
    /// federation authority's at `time`, over a manifest that meets `ManifestRules` (and names `federation`, when
    /// given). Each refusal says which of these failed (`tongban.manifest.invalid`).
    public static func verify(_ jws: String, trust: FederationTrust, federation: String? = nil, at time: Date = Date())
        async throws(TongbanError) -> VerifiedManifest {
        switch await check(jws, trust: trust, federation: federation, at: time) {
        case .success(let verified): return verified
        case .failure(let refusal): throw TongbanError(.manifestInvalid, refusal.message)
        }
    }

    /// `verify`, with the refusal as a value that names its kind (for the gateway's log and metric).
    public static func check(_ jws: String, trust: FederationTrust, federation: String? = nil, at time: Date = Date())
        async -> Result<VerifiedManifest, ManifestRefusal> {
        func refuse(_ reason: ManifestRefusal.Reason, _ why: String) -> Result<VerifiedManifest, ManifestRefusal> {
            .failure(ManifestRefusal(reason: reason, message: why))
        }
        guard jws.utf8.count <= maximumBytes else { return refuse(.malformed, "the signed manifest is over \(maximumBytes) bytes") }
        let text = jws.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return refuse(.malformed, "not a JWS in compact serialization (three base64url parts joined by dots)") }
        guard let headerBytes = Base64URL.decode(parts[0]), let payload = Base64URL.decode(parts[1]),
              let signatureBytes = Base64URL.decode(parts[2]) else { return refuse(.malformed, "a JWS part is not unpadded base64url") }
        let header: ManifestHeader
        do { header = try JSONDecoder().decode(ManifestHeader.self, from: Data(headerBytes)) } catch {
            return refuse(.malformed, "the JWS header is not the manifest's (alg, typ, kid, x5c): \(error)")
        }
        guard header.alg == "ES256" else { return refuse(.signature, "the JWS is signed with '\(header.alg)'; a manifest is signed with ES256 only") }
        guard header.crit == nil else { return refuse(.malformed, "the JWS header has critical extensions (\(header.crit ?? [])) this gateway does not know") }
        guard header.typ == ManifestHeader.type else { return refuse(.malformed, "the JWS typ is '\(header.typ)', not '\(ManifestHeader.type)'") }
        guard let first = header.x5c.first, let der = Data(base64Encoded: first),
              let certificate = try? Certificate(derEncoded: Array(der)) else { return refuse(.foreign, "the JWS header carries no readable x5c certificate") }
        let intermediates = header.x5c.dropFirst().compactMap { Data(base64Encoded: $0).flatMap { try? Certificate(derEncoded: Array($0)) } }
        do { try await trust.verifyAuthority(certificate, intermediates: intermediates, at: time) } catch {
            return refuse(.foreign, "foreign signer: \(error.message)")
        }
        guard let key = P256.Signing.PublicKey(certificate.publicKey),
              let signature = try? P256.Signing.ECDSASignature(rawRepresentation: signatureBytes),
              key.isValidSignature(signature, for: Data((parts[0] + "." + parts[1]).utf8)) else {
            return refuse(.signature, "the signature does not verify with the authority's key")
        }
        let manifest: FederationManifest
        do { manifest = try JSONCoding.decoder().decode(FederationManifest.self, from: Data(payload)) } catch {
            return refuse(.malformed, "the signed payload is not a manifest: \(error)")
        }
        let problems = ManifestRules.problems(manifest) + keyProblems(manifest)
        guard problems.isEmpty else { return refuse(.malformed, "the manifest breaks its rules: " + problems.map(\.description).joined(separator: "; ")) }
        if let federation, manifest.federation != federation {
            return refuse(.federation, "the manifest is federation '\(manifest.federation)''s, not '\(federation)''s")
        }
        return .success(VerifiedManifest(manifest: manifest, jws: text, authority: certificate))
    }

    /// Each signing key's SubjectPublicKeyInfo reads, and is a key of the algorithm its entry names.
    static func keyProblems(_ manifest: FederationManifest) -> [ManifestProblem] {
        var problems: [ManifestProblem] = []
        for (i, member) in manifest.members.enumerated() {
            for (j, key) in member.signingKeys.enumerated() {
                let field = "members[\(i)].signingKeys[\(j)].publicKey"
                if key.alg == "sm2-sm3" {
                    // swift-certificates reads no SM2 key: the system's OpenSSL does (TongbanGM).
                    if (Data(base64Encoded: key.publicKey).flatMap { try? SM2PublicKey(spki: $0) }) == nil {
                        problems.append(ManifestProblem(field, "is not an SM2 SubjectPublicKeyInfo"))
                    }
                    continue
                }
                guard let der = Data(base64Encoded: key.publicKey), let spki = try? Certificate.PublicKey(derEncoded: Array(der)) else {
                    problems.append(ManifestProblem(field, "is not a DER SubjectPublicKeyInfo"))
                    continue
                }
                let matches = switch key.alg {
                case "ecdsa-p256-sha256": P256.Signing.PublicKey(spki) != nil
                case "ed25519": Curve25519.Signing.PublicKey(spki) != nil
                default: true  // the rules name an unknown algorithm already
                }
                if !matches { problems.append(ManifestProblem(field, "is not a \(key.alg) key")) }
            }
        }
        return problems
    }
}
