import AsyncHTTPClient
import Crypto
import Foundation
import NIOHTTP1
import Testing
import TongbanClient
import TongbanCore
import TongbanGM
import TongbanPKI
import TongbanSigning
import TongbanTestKit

/// A member whose signing key in the manifest is SM2 (`sm2-sm3`, carried as its SubjectPublicKeyInfo) is served
/// by a gateway on its SM2-signed requests with an `sm3` Content-Digest; the same request signed by an SM2 key the
/// manifest does not list is refused.
@Suite struct SM2ExchangeTests {
    @Test func anSM2SignedQueryWithAnSM3DigestIsServed() async throws {
        let key = try SM2PrivateKey()
        let spki = key.publicKey.derRepresentation
        let kid = SHA256.hash(data: spki).map { String(format: "%02x", $0) }.joined()
        let f = try await ExchangeTests.Federation.start { federation in
            try federation.updateManifest { manifest in
                let index = try #require(manifest.members.firstIndex { $0.province == "11" })
                manifest.members[index].signingKeys.append(MemberSigningKey(
                    kid: kid, alg: "sm2-sm3", publicKey: Data(spki).base64EncodedString(),
                    notBefore: Date().addingTimeInterval(-60), notAfter: Date().addingTimeInterval(86_400)))
            }
        }
        defer { f.federation.remove() }
        let client = try CraftingClient(tlsAs: f.federation["11"], signer: MessageSigner(key: .sm2(key), keyID: kid, label: TongbanProfile.label),
                                        target: f.federation["31"])
        let query = try JSONCoding.encoder().encode(QueryRequest(
            resource: TestCatalogue.household, matter: "medical-registration",
            requester: .init(departmentCode: "11010500", departmentName: "朝阳区公安分局", operatorId: "op-1"), subjects: [ExchangeTests.person]))
        let served = try await client.send(.POST, "/v1/query", body: query, digests: [.sm3])
        #expect(served.status == 200, "\(served.body)")
        let audit = try await f.sh.get("/v1/audit?last=1", as: [AuditEntry].self)
        #expect(audit.last?.requestSignature.contains("alg=\"sm2-sm3\"") == true, "\(audit.last?.requestSignature ?? "")")

        let stranger = try SM2PrivateKey()
        let strangerKid = SHA256.hash(data: stranger.publicKey.derRepresentation).map { String(format: "%02x", $0) }.joined()
        let unlisted = try CraftingClient(tlsAs: f.federation["11"], signer: MessageSigner(key: .sm2(stranger), keyID: strangerKid,
                                                                                            label: TongbanProfile.label), target: f.federation["31"])
        SignedExchangeTests.expectRefused(try await unlisted.send(.POST, "/v1/query", body: query, digests: [.sm3]), 401, "tongban.signature.invalid")
        // The listed kid with another SM2 key's signature does not verify.
        let forged = try CraftingClient(tlsAs: f.federation["11"], signer: MessageSigner(key: .sm2(stranger), keyID: kid, label: TongbanProfile.label),
                                        target: f.federation["31"])
        SignedExchangeTests.expectRefused(try await forged.send(.POST, "/v1/query", body: query, digests: [.sm3]), 401, "tongban.signature.invalid")
        for crafted in [client, unlisted, forged] { try await crafted.http.shutdown() }
        await f.stop()
    }
}
