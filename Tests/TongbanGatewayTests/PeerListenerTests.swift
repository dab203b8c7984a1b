import AsyncHTTPClient
import Crypto
import Foundation
import SwiftASN1
import Testing
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanPKI
import TongbanTestKit
import X509

/// Real `tongband` processes on loopback, real mutual TLS, certificates generated per test.
@Suite(.serialized) struct PeerListenerTests {
    @Test func validPeerGetsIdentityAndGatewaysSeeEachOther() async throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        let beijing = try await RunningDaemon(federation["11"])
        let shanghai = try await RunningDaemon(federation["31"])

        let client = try TLSClients.peerClient(as: federation["31"], federation: federation)
        let peer = GatewayConfiguration.Peer(code: try ProvinceCode("11"), name: "北京市", url: federation["11"].peerURL)
        let identity = try await client.identity(of: peer)
        try await client.shutdown()
        #expect(identity.province == "11")
        #expect(identity.name == "北京市")
        #expect(identity.version == TongbanVersion.current)
        let published = try Certificate(pemEncoded: try #require(identity.signingCertificate))
        #expect(published == (try PEMFile.readCertificate(federation["11"].pki + "/signing.crt")))
        #expect(identity.signingKeyId == published.sha256Fingerprint)
        #expect(identity.signingAlgorithm == "ecdsa-p256-sha256")

        for (daemon, other) in [(beijing, "31"), (shanghai, "11")] {
            let peers = try await AdminClient(socketPath: daemon.member.adminSocket).get("/v1/peers", as: [PeerStatus].self)
            #expect(peers.count == 1)
            #expect(peers.first?.code == other)
            #expect(peers.first?.reachable == true, "\(String(describing: peers.first?.error))")
            #expect(peers.first?.certificateProvince == other)
            #expect((peers.first?.roundTripMilliseconds ?? -1) >= 0)
            #expect(peers.first?.certificateNotAfter ?? .distantPast > Date())
        }
        #expect(await beijing.stop() == 0)
        // With Beijing gone, Shanghai reports it unreachable with a reason.
        let after = try await AdminClient(socketPath: shanghai.member.adminSocket).get("/v1/peers", as: [PeerStatus].self)
        #expect(after.first?.reachable == false)
        #expect(after.first?.error?.isEmpty == false)
        #expect(await shanghai.stop() == 0)
    }

    @Test func clientWithoutCertificateIsRefused() async throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        let daemon = try await RunningDaemon(federation["11"])
        let client = try TLSClients.rawClient(certificate: nil, key: nil, root: federation["11"].pki + "/root.crt")
        await #expect(throws: (any Error).self) { _ = try await TLSClients.get(client, federation["11"].peerURL + "/v1/identity") }
        try await client.shutdown()
        #expect(daemon.isRunning)
        #expect(await daemon.stop() == 0)
    }

    @Test func clientWithCertificateFromAnotherCAIsRefused() async throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        let rogueCA = try FederationCA.create(name: "Rogue Root")
        let rogueDirectory = federation.directory.file("rogue")
        try ProvinceCredentials.issue(by: rogueCA, province: try ProvinceCode("31"), dnsNames: [], ipAddresses: []).write(to: rogueDirectory)
        let daemon = try await RunningDaemon(federation["11"])
        let client = try TLSClients.rawClient(certificate: rogueDirectory + "/tls.crt", key: rogueDirectory + "/tls.key",
                                              root: federation["11"].pki + "/root.crt")
        await #expect(throws: (any Error).self) { _ = try await TLSClients.get(client, federation["11"].peerURL + "/v1/identity") }
        try await client.shutdown()
        #expect(await daemon.stop() == 0)
        #expect(daemon.logText.contains("refused a TLS client certificate"))
    }

    @Test func clientCertificateWithoutProvinceURIIsRefused() async throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        let key = P256.Signing.PrivateKey()
        let certificate = try federation.issueCustom(publicKey: .init(key.publicKey), commonName: "department without province") {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([.clientAuth])
            SubjectAlternativeNames([.dnsName("localhost")])
        }
        let certificatePath = federation.directory.file("bare.crt"), keyPath = federation.directory.file("bare.key")
        try PEMFile.write(certificate, to: certificatePath)
        try PEMFile.write(Certificate.PrivateKey(key), to: keyPath)
        let daemon = try await RunningDaemon(federation["11"])
        let client = try TLSClients.rawClient(certificate: certificatePath, key: keyPath, root: federation["11"].pki + "/root.crt")
        await #expect(throws: (any Error).self) { _ = try await TLSClients.get(client, federation["11"].peerURL + "/v1/identity") }
        // The same root, a proper province certificate: served.
        let good = try TLSClients.rawClient(certificate: federation["31"].pki + "/tls.crt", key: federation["31"].pki + "/tls.key",
                                            root: federation["11"].pki + "/root.crt")
        let (status, body) = try await TLSClients.get(good, federation["11"].peerURL + "/v1/identity")
        #expect(status == 200)
        #expect(body.contains("\"province\":\"11\""))
        // Signatures are checked before routing: an unsigned request to any other endpoint is refused as unsigned.
        let (unsigned, problem) = try await TLSClients.get(good, federation["11"].peerURL + "/v1/nothing")
        #expect(unsigned == 401)
        #expect(problem.contains("\"code\":\"tongban.signature.missing\""))
        #expect(problem.contains("\"title\":\"Unauthorized\""))
        try await client.shutdown()
        try await good.shutdown()
        #expect(await daemon.stop() == 0)
        #expect(daemon.logText.contains("tongban.identity.missing"))
    }

    @Test func healthzAndStatusReportListenersAndStore() async throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        let daemon = try await RunningDaemon(federation["11"])
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let (status, body) = try await TLSClients.get(client, federation["11"].localURL + "/healthz")
        try await client.shutdown()
        #expect(status == 200)
        let health = try JSONCoding.decoder().decode(HealthDocument.self, from: Data(body.utf8))
        var expected = HealthDocument(status: "ok", listeners: true, store: true, province: "11")
        expected.draining = false
        #expect(health == expected)
        let document = try await AdminClient(socketPath: federation["11"].adminSocket).get("/v1/status", as: StatusDocument.self)
        #expect(document.ready && document.store == "ok")
        #expect(document.listeners.allSatisfy { $0.up })
        #expect(document.certificates.map(\.usage) == ["tls", "signing"])
        let socketMode = try FileManager.default.attributesOfItem(atPath: federation["11"].adminSocket)[.posixPermissions] as? Int
        #expect(socketMode == 0o660)
        #expect(FileManager.default.fileExists(atPath: federation["11"].home + "/state/tongban.sqlite"))
        #expect(await daemon.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: federation["11"].adminSocket))
    }
}
