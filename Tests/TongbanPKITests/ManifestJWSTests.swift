import Crypto
import Foundation
import Testing
import TongbanCore
@testable import TongbanPKI
import TongbanTestKit
import X509

/// The signed manifest (`ManifestJWS`): what the authority signs verifies, and every other signer, algorithm,
/// payload or rule breach is refused with the reason.
@Suite struct ManifestJWSTests {
    struct Fixture {
        let ca: FederationCA
        let authority: FederationAuthority
        let manifest: FederationManifest
        var trust: FederationTrust { FederationTrust(roots: [ca.certificate]) }

        init() throws {
            ca = try FederationCA.create(name: "JWS Root")
            authority = try FederationAuthority.create(by: ca)
            var members: [FederationMember] = []
            for code in ["11", "31"] {
                let credentials = try ProvinceCredentials.issue(by: ca, province: try ProvinceCode(code), dnsNames: [], ipAddresses: ["127.0.0.1"])
                members.append(try FederationMember(tlsCertificate: credentials.tlsCertificate, signingCertificate: credentials.certifiedSigningCertificate,
                                                    urls: ["https://127.0.0.1:74\(code)"]))
            }
            let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            manifest = FederationManifest(federation: "cn-test", serial: 3, issuedAt: now, expiresAt: now.addingTimeInterval(7 * 86_400),
                                          members: members, matters: Matter.defaults)
        }
    }

    /// The refusal's message, or nil when `jws` verifies.
    static func refusal(_ jws: String, _ trust: FederationTrust, federation: String? = nil) async -> String? {
        do {
            _ = try await ManifestJWS.verify(jws, trust: trust, federation: federation)
            return nil
        } catch { return error.message }
    }

    static func part(_ json: String) -> String { Base64URL.encode(Array(json.utf8)) }

    @Test func signedManifestVerifiesToTheSameManifest() async throws {
        let f = try Fixture()
        let jws = try f.authority.sign(f.manifest)
        #expect(jws.split(separator: ".").count == 3)
        let verified = try await ManifestJWS.verify(jws, trust: f.trust, federation: "cn-test")
        #expect(verified.manifest == f.manifest)
        #expect(verified.authority == f.authority.certificate)
        let other = await Self.refusal(jws, f.trust, federation: "cn-other")
        #expect(other?.contains("not 'cn-other''s") == true, "\(other ?? "accepted")")
    }

    @Test func tamperedPayloadIsRefused() async throws {
        let f = try Fixture()
        let parts = try f.authority.sign(f.manifest).split(separator: ".").map(String.init)
        let payload = String(decoding: try #require(Base64URL.decode(Substring(parts[1]))), as: UTF8.self)
        #expect(payload.contains("\"serial\":3"))
        let edited = payload.replacingOccurrences(of: "\"serial\":3", with: "\"serial\":4")
        let why = await Self.refusal([parts[0], Self.part(edited), parts[2]].joined(separator: "."), f.trust)
        #expect(why?.contains("signature does not verify") == true, "\(why ?? "accepted")")
        let truncated = await Self.refusal(parts[0] + "." + parts[1], f.trust)
        #expect(truncated?.contains("compact serialization") == true, "\(truncated ?? "accepted")")
    }

    @Test func aProvinceSigningKeyIsAForeignSigner() async throws {
        let f = try Fixture()
        let key = P256.Signing.PrivateKey()
        let signing = try f.ca.issue(usage: .signing, province: try ProvinceCode("31"), publicKey: Certificate.PublicKey(key.publicKey))
        let why = await Self.refusal(try ManifestJWS.sign(f.manifest, key: key, certificate: signing), f.trust)
        #expect(why?.contains("foreign signer") == true, "\(why ?? "accepted")")
    }

    @Test func anAuthorityUnderAForeignRootIsAForeignSigner() async throws {
        let f = try Fixture()
        let foreign = try FederationAuthority.create(by: try FederationCA.create(name: "Foreign Root"))
        let why = await Self.refusal(try foreign.sign(f.manifest), f.trust)
        #expect(why?.contains("foreign signer") == true, "\(why ?? "accepted")")
    }

    /// A TLS certificate of the federation chains to the root but lacks the authority's usage: it cannot sign.
    @Test func theAuthorityUsageIsRequired() async throws {
        let f = try Fixture()
        let key = P256.Signing.PrivateKey()
        let tls = try f.ca.issue(usage: .tls, province: try ProvinceCode("11"), publicKey: Certificate.PublicKey(key.publicKey))
        let why = await Self.refusal(try ManifestJWS.sign(f.manifest, key: key, certificate: tls), f.trust)
        #expect(why?.contains("foreign signer") == true && why?.contains("authority") == true, "\(why ?? "accepted")")
    }

    @Test(arguments: ["none", "HS256", "ES384"]) func otherAlgorithmsAreRefused(alg: String) async throws {
        let f = try Fixture()
        let parts = try f.authority.sign(f.manifest).split(separator: ".").map(String.init)
        let x5c = Data(f.authority.certificate.derBytes).base64EncodedString()
        let header = Self.part(#"{"alg":"\#(alg)","typ":"tongban-federation-manifest+jws","kid":"x","x5c":["\#(x5c)"]}"#)
        let signature = alg == "none" ? "" : Base64URL.encode(HMAC<SHA256>.authenticationCode(for: Data((header + "." + parts[1]).utf8),
                                                                                             using: SymmetricKey(data: Data(x5c.utf8))))
        let why = await Self.refusal([header, parts[1], signature].joined(separator: "."), f.trust)
        #expect(why?.contains("signed with '\(alg)'") == true, "\(why ?? "accepted")")
    }

    @Test func aManifestBreakingItsRulesIsRefused() async throws {
        let f = try Fixture()
        var broken = f.manifest
        broken.serial = 0
        broken.members[1].urls = ["http://127.0.0.1:7431/path"]
        let why = await Self.refusal(try f.authority.sign(broken), f.trust)
        #expect(why?.contains("breaks its rules") == true && why?.contains("serial") == true && why?.contains("members[1].urls[0]") == true,
                "\(why ?? "accepted")")
    }

    /// The 国密 fields: an accepted-algorithms list must name known algorithms, once each; an SM2 distinguishing ID is
    /// printable ASCII.
    @Test func acceptsAndTheSM2IDFollowTheirRules() async throws {
        let f = try Fixture()
        var broken = f.manifest
        broken.members[0].accepts = ["sm2-sm3", "sm2-sm3", "rsa"]
        broken.members[1].accepts = []
        broken.protocol.sm2DistinguishingID = "含中文"
        let problems = ManifestRules.problems(broken).map { "\($0.field): \($0.message)" }
        #expect(problems.contains { $0.hasPrefix("members[0].accepts[2]") && $0.contains("'rsa'") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("members[0].accepts:") && $0.contains("twice") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("members[1].accepts:") && $0.contains("lists no algorithm") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("protocol.sm2DistinguishingID") }, "\(problems)")
        #expect(problems.count == 4, "\(problems)")
        var fine = f.manifest
        fine.members[0].accepts = ["sm2-sm3", "ecdsa-p256-sha256"]
        fine.protocol.sm2DistinguishingID = "cn-gov-fed-2026"
        #expect(ManifestRules.problems(fine).isEmpty)
        let why = await Self.refusal(try f.authority.sign(broken), f.trust)
        #expect(why?.contains("members[0].accepts[2]") == true, "\(why ?? "accepted")")
    }
}
