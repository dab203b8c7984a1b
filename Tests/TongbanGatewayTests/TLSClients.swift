import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanPKI
import TongbanSigning
import TongbanTestKit

/// HTTP clients for tests, with whatever TLS identity a test needs to present.
enum TLSClients {
    static func credentials(of member: TestFederation.Member) throws -> ClientCredentials {
        try ClientCredentials(certificate: member.pki + "/tls.crt", key: member.pki + "/tls.key",
                              federationRoots: [member.pki + "/root.crt"])
    }

    static func peerClient(as member: TestFederation.Member, federation: TestFederation, timeout: Double = 5,
                           signingKey: String? = nil, signingCertificate: String? = nil) throws -> PeerClient {
        let keys = try federation.peerKeys(of: member, signingCertificate: signingCertificate, signingKey: signingKey)
        return PeerClient(credentials: try credentials(of: member), trust: FederationTrust(roots: [federation.ca.certificate]),
                          keys: keys, resilience: PeerResilience(timeoutSeconds: timeout, retries: 0, circuitFailureThreshold: 1000))
    }

    /// A raw client presenting `certificate`/`key` files (or none) and trusting the federation root.
    static func rawClient(certificate: String?, key: String?, root: String) throws -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv13
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(root))
        if let certificate, let key {
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        }
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls, timeout: .init(connect: .seconds(5), read: .seconds(5))))
    }

    /// Performs GET `url` and returns status and body, or throws what the connection threw.
    static func get(_ client: HTTPClient, _ url: String) async throws -> (Int, String) {
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: body))
    }
}
