import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Testing
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanPKI
import TongbanSigning
import TongbanTestKit

/// Every refusal of the signing profile against live daemons: status, code, a signed problem, nothing served.
@Suite(.serialized) struct SignedExchangeTests {
    static func expectRefused(_ result: CraftingClient.Result, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == status, "\(result.body)", sourceLocation: sourceLocation)
        #expect(result.code == code, "\(result.body)", sourceLocation: sourceLocation)
        #expect(!result.body.contains("receivedBytes"), "a refused request was served", sourceLocation: sourceLocation)
        #expect(result.headers.first(name: "Signature") != nil, "refusals are signed too", sourceLocation: sourceLocation)
        #expect(result.headers.first(name: "Content-Digest") != nil, sourceLocation: sourceLocation)
    }

    @Test func everyRefusalOfTheProfile() async throws {
        let federation = try TestFederation(provinces: ["11", "31", "44"], ed25519: ["44"])
        defer { federation.remove() }
        let beijing = try await RunningDaemon(federation["11"])
        let shanghai = try await RunningDaemon(federation["31"])
        let guangdong = try await RunningDaemon(federation["44"])
        let client = try CraftingClient(tlsAs: federation["31"], signingKeyOf: federation["31"], target: federation["11"])

        // A proper signed request is served, and its answer carries a signature bound to it.
        let good = try await client.ping()
        #expect(good.status == 200, "\(good.body)")
        #expect(good.body.contains("\"caller\":\"31\""))
        #expect(good.headers.first(name: "Signature-Input")?.contains(#""signature";req;key="tongban""#) == true)
        #expect(good.headers.first(name: "Date")?.hasSuffix(" GMT") == true, "an origin server with a clock sends Date (RFC 9110)")
        #expect(good.headers.first(name: "Server") == "tongban")

        Self.expectRefused(try await client.ping(sign: false), 401, "tongban.signature.missing")
        Self.expectRefused(try await client.ping { fields in
            fields.removeAll { $0.name == "Signature" }
            fields.append(("Signature", "tongban=not-a-byte-sequence"))
        }, 401, "tongban.signature.invalid")
        Self.expectRefused(try await client.ping(components: [ComponentIdentifier("@method"), ComponentIdentifier("@path")]),
                           401, "tongban.signature.incomplete")
        Self.expectRefused(try await client.ping(created: Date().addingTimeInterval(-301)), 401, "tongban.signature.expired")
        Self.expectRefused(try await client.ping(created: Date().addingTimeInterval(300)), 401, "tongban.signature.expired")
        // A signature that does not verify (the covered path changed after signing is simulated by a changed request id).
        Self.expectRefused(try await client.ping { fields in
            fields.removeAll { $0.name == "Tongban-Request-Id" }
            fields.append(("Tongban-Request-Id", UUID().uuidString.lowercased()))
        }, 401, "tongban.signature.invalid")
        // alg not matching the key: claim ed25519 for a P-256 key, keeping the rest.
        Self.expectRefused(try await client.ping { fields in
            let index = fields.firstIndex { $0.name == "Signature-Input" }!
            fields[index].value = fields[index].value.replacingOccurrences(of: "ecdsa-p256-sha256", with: "ed25519")
        }, 401, "tongban.signature.invalid")
        // Replay: the same request id twice.
        let id = UUID().uuidString.lowercased()
        #expect(try await client.ping(requestID: id).status == 200)
        Self.expectRefused(try await client.ping(requestID: id), 409, "tongban.request.replayed")
        // A request id that is signed but not a UUID in its canonical form (Foundation's Linux parser reads the
        // second and third as UUIDs) is refused before it reaches the replay cache.
        for notUUID in ["not-a-uuid", "+" + id.dropFirst(), "0x" + id.dropFirst(2), id + "0"] {
            Self.expectRefused(try await client.ping(requestID: notUUID), 400, "tongban.request.invalid")
        }
        // Body altered after signing: the digest no longer matches.
        Self.expectRefused(try await client.ping(body: #"{"a":1}"#, sentBody: #"{"a":2}"#), 400, "tongban.digest.mismatch")

        // Key of another province: 44 (Ed25519) first calls 11, so 11 knows 44's key; then 31 signs with 44's key.
        let fromGuangdong = try CraftingClient(tlsAs: federation["44"], signingKeyOf: federation["44"], target: federation["11"])
        let ed = try await fromGuangdong.ping()
        #expect(ed.status == 200, "\(ed.body)")
        let impostor = try CraftingClient(tlsAs: federation["31"], signingKeyOf: federation["44"], target: federation["11"])
        Self.expectRefused(try await impostor.ping(), 403, "tongban.identity.mismatch")
        for crafted in [client, fromGuangdong, impostor] { try await crafted.http.shutdown() }

        #expect(await beijing.stop() == 0)
        #expect(await shanghai.stop() == 0)
        #expect(await guangdong.stop() == 0)
    }

    @Test func peerClientVerifiesAnswersAndPeersListShowsKeys() async throws {
        let federation = try TestFederation(provinces: ["11", "44"], ed25519: ["44"])
        defer { federation.remove() }
        let beijing = try await RunningDaemon(federation["11"])
        let guangdong = try await RunningDaemon(federation["44"])
        let peers = try await AdminClient(socketPath: federation["11"].adminSocket).get("/v1/peers", as: [PeerStatus].self)
        let signing = try PEMFile.readCertificate(federation["44"].pki + "/signing.crt")
        #expect(peers.first?.reachable == true, "\(String(describing: peers.first?.error))")
        #expect(peers.first?.signingKeyId == signing.sha256Fingerprint)
        #expect(peers.first?.signingAlgorithm == "ed25519")
        let back = try await AdminClient(socketPath: federation["44"].adminSocket).get("/v1/peers", as: [PeerStatus].self)
        #expect(back.first?.signingAlgorithm == "ecdsa-p256-sha256")
        #expect(back.first?.reachable == true, "\(String(describing: back.first?.error))")

        // A client whose idea of the peer's key is wrong refuses the answer: 11's identity signed by 11 is not 44's.
        let client = try TLSClients.peerClient(as: federation["44"], federation: federation,
                                               signingKey: federation["44"].pki + "/signing.key", signingCertificate: federation["44"].pki + "/signing.crt")
        let wrongURL = GatewayConfiguration.Peer(code: try ProvinceCode("31"), name: "上海市", url: federation["11"].peerURL)
        // (Here both gateways' certificates carry 127.0.0.1, which the TLS library matches against the address
        // connected to, so the handshake passes and the identity check refuses; ProvinceInHandshakeTests has
        // certificates without a shared address, where the handshake itself refuses.)
        await #expect { try await client.identity(of: wrongURL) } throws: { ($0 as? TongbanError)?.code == .identityMismatch }
        try await client.shutdown()
        #expect(await beijing.stop() == 0)
        #expect(await guangdong.stop() == 0)
    }
}
