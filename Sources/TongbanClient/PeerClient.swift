import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import TongbanConfig
import TongbanCore
import TongbanPKI
import X509

/// The gateway's outbound side: calls peers' peer listeners over mutual TLS on the federation PKI.
public final class PeerClient: Sendable {
    let http: HTTPClient
    let credentials: ClientCredentials
    let trust: FederationTrust
    let timeout: TimeAmount

    public init(credentials: ClientCredentials, trust: FederationTrust, timeoutSeconds: Double) {
        self.credentials = credentials
        self.trust = trust
        self.timeout = .milliseconds(Int64(timeoutSeconds * 1000))
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: credentials.clientTLSConfiguration,
            timeout: .init(connect: self.timeout, read: self.timeout),
            decompression: .disabled)
        configuration.redirectConfiguration = .disallow
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// `GET /v1/identity` of `peer`, refusing an answer that does not name the expected province.
    public func identity(of peer: GatewayConfiguration.Peer) async throws(TongbanError) -> IdentityDocument {
        let (status, body) = try await get(peer, path: "/v1/identity")
        guard status == .ok else { throw Self.refusal(peer, status: status, body: body) }
        let document: IdentityDocument
        do { document = try JSONCoding.decoder().decode(IdentityDocument.self, from: body) } catch {
            throw TongbanError(.peerUnreachable, "peer \(peer.code) answered /v1/identity with an unreadable document")
        }
        guard document.province == peer.code.rawValue else {
            throw TongbanError(.identityMismatch, "peer at \(peer.url) says it is province \(document.province), expected \(peer.code)")
        }
        return document
    }

    /// Probes `peer`: the province and expiry of its TLS certificate, its identity and the round-trip time.
    public func status(of peer: GatewayConfiguration.Peer) async -> PeerStatus {
        var status = PeerStatus(code: peer.code.rawValue, name: peer.name, url: peer.url, reachable: false)
        do {
            let certificate = try await tlsCertificate(of: peer)
            status.certificateProvince = certificate.federationProvince?.rawValue
            status.certificateNotAfter = certificate.notValidAfter
            guard certificate.federationProvince == peer.code else {
                status.error = "TLS certificate at \(peer.url) names province \(status.certificateProvince ?? "none"), expected \(peer.code)"
                return status
            }
            let start = ContinuousClock.now
            let identity = try await identity(of: peer)
            let elapsed = ContinuousClock.now - start
            status.roundTripMilliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            status.identityName = identity.name
            status.version = identity.version
            status.reachable = true
        } catch let error as TongbanError {
            status.error = error.message
        } catch {
            status.error = Self.describe(error)
        }
        return status
    }

    /// The certificate `peer` presents on its peer listener, checked against the federation roots.
    public func tlsCertificate(of peer: GatewayConfiguration.Peer) async throws -> Certificate {
        guard let url = URL(string: peer.url), let host = url.host else {
            throw TongbanError(.configInvalid, "peer \(peer.code) has an invalid URL \(peer.url)")
        }
        do {
            let certificate = try await TLSProbe.certificate(host: host, port: url.port ?? 443, credentials: credentials,
                                                             timeout: timeout, group: MultiThreadedEventLoopGroup.singleton)
            _ = try await trust.verify(certificate, role: .tlsServer)
            return certificate
        } catch let error as TongbanError {
            throw error
        } catch {
            throw TongbanError(.peerUnreachable, "peer \(peer.code) at \(peer.url): \(Self.describe(error))")
        }
    }

    func get(_ peer: GatewayConfiguration.Peer, path: String) async throws(TongbanError) -> (HTTPResponseStatus, Data) {
        var request = HTTPClientRequest(url: peer.url + path)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        do {
            let response = try await http.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
            return (response.status, Data(body.readableBytesView))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw TongbanError(.peerTimeout, "peer \(peer.code) at \(peer.url) did not answer within \(timeout.nanoseconds / 1_000_000) ms")
        } catch {
            throw TongbanError(.peerUnreachable, "peer \(peer.code) at \(peer.url): \(Self.describe(error))")
        }
    }

    static func refusal(_ peer: GatewayConfiguration.Peer, status: HTTPResponseStatus, body: Data) -> TongbanError {
        if let problem = try? JSONCoding.decoder().decode(Problem.self, from: body) {
            return TongbanError(.init(rawValue: problem.code), "peer \(peer.code) refused (\(status.code)): \(problem.detail ?? problem.title)")
        }
        return TongbanError(.peerUnreachable, "peer \(peer.code) answered \(status.code)")
    }

    /// A short, readable description of a connection failure.
    static func describe(_ error: any Error) -> String {
        if let ssl = error as? NIOSSLError { return "TLS: \(ssl)" }
        if let io = error as? IOError { return io.description }
        if let client = error as? HTTPClientError { return String(describing: client) }
        return String(describing: error)
    }
}
