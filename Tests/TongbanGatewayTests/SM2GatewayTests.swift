import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Testing
import TongbanClient
import TongbanCore
import TongbanGM
import TongbanPKI
import TongbanSigning
import TongbanTestKit

/// Gateways that sign with SM2 (`pki issue --signing-alg sm2`: a key without a certificate, listed in the manifest by
/// its public key), the federation's SM2 distinguishing ID, each member's accepted algorithms and the choice of key
/// per peer — all between real daemons over mutual TLS.
@Suite struct SM2GatewayTests {
    static let federationID = "tongban-test-fed"

    /// The key id of the SM2 key in `path`: the SHA-256 of its SubjectPublicKeyInfo.
    static func kid(ofKeyAt path: String) throws -> String {
        let key = try SM2PrivateKey(pem: try String(contentsOfFile: path, encoding: .utf8))
        return MemberSigningKey.keyID(spki: key.publicKey.derRepresentation)
    }

    @Test func twoProvincesSigningWithSM2ExchangeUnderTheFederationsID() async throws {
        let f = try await ExchangeTests.Federation.start(sm2: ["11", "31"], edit: { $0.protocol.sm2DistinguishingID = Self.federationID })
        defer { f.federation.remove() }
        let beijingKid = try Self.kid(ofKeyAt: f.federation["11"].pki + "/signing.key")
        let shanghaiKid = try Self.kid(ofKeyAt: f.federation["31"].pki + "/signing.key")
        #expect(!FileManager.default.fileExists(atPath: f.federation["11"].pki + "/signing.crt"))

        let result = try await f.query(TestCatalogue.household, "medical-registration", [ExchangeTests.person])
        #expect(result.status == 200, "\(result.answer)")
        // 31 verified 11's SM2 request; 11 verified 31's SM2 answer, bound to its request.
        let inbound = try #require(try await f.sh.get("/v1/audit?last=1", as: [AuditEntry].self).last)
        #expect(inbound.requestSignature.contains("alg=\"sm2-sm3\"") && inbound.requestSignature.contains("keyid=\"\(beijingKid)\""),
                "\(inbound.requestSignature)")
        #expect(inbound.responseSignature.contains("keyid=\"\(shanghaiKid)\""), "\(inbound.responseSignature)")
        let outbound = try #require(try await f.bj.get("/v1/audit?last=1", as: [AuditEntry].self).last)
        #expect(outbound.responseSignature.contains("alg=\"sm2-sm3\""), "\(outbound.responseSignature)")

        // Verify and the catalogue, the other endpoints, between the two SM2 gateways.
        let claims = VerifyRequest(resource: TestCatalogue.household, matter: "medical-registration",
                                   requester: .init(departmentCode: "110105", departmentName: "医保局", operatorId: "op-1"),
                                   subject: ExchangeTests.person, claims: ["name": "王小明", "birthDate": "1980-05-13"])
        let verified = try await f.bj.post("/v1/outbound/verify?peer=31", body: try JSONCoding.encoder().encode(claims), as: OutboundResult.self)
        #expect(verified.status == 200 && verified.answer["results"] == ["name": .bool(true), "birthDate": .bool(false)], "\(verified.answer)")
        let listing = try await f.bj.get("/v1/catalogues?peer=31", as: [CatalogueListing].self)
        #expect(listing.first?.error == nil && listing.first?.catalogue?.resources.isEmpty == false, "\(listing)")
        let lastInbound = try #require(try await f.sh.get("/v1/audit?last=1", as: [AuditEntry].self).last)
        #expect(lastInbound.endpoint == "verify" && lastInbound.requestSignature.contains("alg=\"sm2-sm3\""), "\(lastInbound)")

        // The identity document names the SM2 key and no certificate.
        let client = try TLSClients.peerClient(as: f.federation["31"], federation: f.federation)
        let identity = try await client.verifiedIdentity(of: .init(code: try ProvinceCode("11"), name: "北京市", url: f.federation["11"].peerURL))
        try await client.shutdown()
        #expect(identity.document.signingCertificate == nil && identity.keyID == beijingKid && identity.document.signingAlgorithm == "sm2-sm3")

        // The same key signing with GM/T 0009's default ID instead of the federation's does not verify.
        let key = try SM2PrivateKey(pem: try String(contentsOfFile: f.federation["11"].pki + "/signing.key", encoding: .utf8))
        let defaultID = try CraftingClient(tlsAs: f.federation["11"], signer: MessageSigner(key: .sm2(key), keyID: beijingKid, label: TongbanProfile.label),
                                           target: f.federation["31"])
        let withFederationID = try CraftingClient(
            tlsAs: f.federation["11"], signer: MessageSigner(key: .sm2(key, distinguishingID: Array(Self.federationID.utf8)), keyID: beijingKid,
                                                             label: TongbanProfile.label), target: f.federation["31"])
        let query = try JSONCoding.encoder().encode(QueryRequest(
            resource: TestCatalogue.household, matter: "medical-registration",
            requester: .init(departmentCode: "11010500", departmentName: "朝阳区公安分局", operatorId: "op-1"), subjects: [ExchangeTests.person]))
        SignedExchangeTests.expectRefused(try await defaultID.send(.POST, "/v1/query", body: query, digests: [.sm3]), 401, "tongban.signature.invalid")
        let answered = try await withFederationID.send(.POST, "/v1/query", body: query, digests: [.sm3])
        #expect(answered.status == 200)
        // 31 answers an SM2 signer with SM2 and digests its answer with SM3: the national algorithms end to end.
        #expect(answered.headers.first(name: "Content-Digest")?.hasPrefix("sm3=:") == true, "\(answered.headers)")
        for crafted in [defaultID, withFederationID] { try await crafted.http.shutdown() }
        #expect(try await f.sh.get("/v1/audit/verify", as: AuditVerification.self).ok)
        #expect(try await f.bj.get("/v1/audit/verify", as: AuditVerification.self).ok)
        await f.stop()
    }

    @Test func aMemberThatAcceptsOnlySM2GetsSM2AndRefusesTheRest() async throws {
        // 11 signs with P-256 (`signing`) and holds an SM2 key too (`signing.additional`); 31 accepts sm2-sm3 only.
        var sm2Kid = "", p256Kid = ""
        let f = try await ExchangeTests.Federation.start { federation in
            let beijing = federation["11"]
            let key = try SM2PrivateKey()
            try PEMFile.write(privateKeyText: key.pemRepresentation, to: beijing.pki + "/signing-sm2.key")
            let config = try String(contentsOfFile: beijing.configPath, encoding: .utf8).replacingOccurrences(
                of: "  key: pki/signing.key\n", with: "  key: pki/signing.key\n  additional:\n    - key: pki/signing-sm2.key\n")
            try config.write(toFile: beijing.configPath, atomically: true, encoding: .utf8)
            let entry = MemberSigningKey(sm2: key.publicKey, notBefore: Date().addingTimeInterval(-60), notAfter: Date().addingTimeInterval(86_400))
            sm2Kid = entry.kid
            try federation.updateManifest { manifest in
                let b = try #require(manifest.members.firstIndex { $0.province == "11" })
                let s = try #require(manifest.members.firstIndex { $0.province == "31" })
                manifest.members[b].signingKeys.append(entry)
                manifest.members[s].accepts = ["sm2-sm3"]
            }
            p256Kid = try PEMFile.readCertificate(beijing.pki + "/signing.crt").sha256Fingerprint
        }
        defer { f.federation.remove() }

        // 11 signs for 31 with the one algorithm 31 accepts.
        let served = try await f.query(TestCatalogue.household, "medical-registration", [ExchangeTests.person])
        #expect(served.status == 200, "\(served.answer)")
        let inbound = try #require(try await f.sh.get("/v1/audit?last=1", as: [AuditEntry].self).last)
        #expect(inbound.requestSignature.contains("keyid=\"\(sm2Kid)\""), "\(inbound.requestSignature)")

        // A P-256 signature of 11's, valid and in force, is refused by 31 with its own code.
        let p256 = try CraftingClient(tlsAs: f.federation["11"], signer: try MessageSigner.province(
            key: f.federation["11"].pki + "/signing.key", certificate: f.federation["11"].pki + "/signing.crt"), target: f.federation["31"])
        #expect(p256.signer.keyID == p256Kid)
        let query = try JSONCoding.encoder().encode(QueryRequest(
            resource: TestCatalogue.household, matter: "medical-registration",
            requester: .init(departmentCode: "11010500", departmentName: "朝阳区公安分局", operatorId: "op-1"), subjects: [ExchangeTests.person]))
        SignedExchangeTests.expectRefused(try await p256.send(.POST, "/v1/query", body: query), 401, "tongban.signature.algorithm")
        try await p256.http.shutdown()

        // 11 requires sm2-sm3 as well; 31 holds only P-256: 31's answers are refused by 11 (they are sent to it too).
        try f.federation.updateManifest { manifest in
            let b = try #require(manifest.members.firstIndex { $0.province == "11" })
            manifest.members[b].accepts = ["sm2-sm3"]
        }
        for code in ["11", "31"] { #expect(try await f.federation.refresh(f.federation[code]).outcome == "applied") }
        let unanswerable = await #expect(throws: TongbanError.self) {
            try await f.query(TestCatalogue.household, "medical-registration", [ExchangeTests.person])
        }
        #expect(unanswerable?.code == .signatureRefused && unanswerable?.message.contains("31 signed with ecdsa-p256-sha256") == true,
                "\(String(describing: unanswerable))")

        // Without an SM2 key in force (revoked), 11 does not call 31 at all, and says why.
        try f.federation.updateManifest { manifest in
            manifest.revocations.append(ManifestRevocation(kind: .key, id: sm2Kid, at: Date().addingTimeInterval(-1), reason: "test"))
        }
        #expect(try await f.federation.refresh(f.federation["11"]).outcome == "applied")
        let refused = await #expect(throws: TongbanError.self) {
            try await f.query(TestCatalogue.household, "medical-registration", [ExchangeTests.person])
        }
        #expect(refused?.code == .signingUnavailable && refused?.message.contains("accepts sm2-sm3 only") == true, "\(String(describing: refused))")
        await f.stop()
    }
}
