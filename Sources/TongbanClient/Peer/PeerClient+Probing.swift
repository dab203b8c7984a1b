import Foundation
import NIOCore
import NIOPosix
import NIOHTTP1
import TongbanCore
import TongbanPKI
import TongbanSigning
import X509

extension PeerClient {

    /// Probes `peer`: the province and expiry of its TLS certificate, its identity and signing key, the round-trip time.
    public func status(of peer: PeerEndpoint) async -> PeerStatus {
        var status = await probe(peer)
        let circuit = circuits.snapshot(peer.code)
        status.circuit = circuit.state.rawValue
        status.consecutiveFailures = circuit.consecutiveFailures
        return status
    }

    func probe(_ peer: PeerEndpoint) async -> PeerStatus {
        var status = PeerStatus(code: peer.code.rawValue, name: peer.name, url: peer.url, reachable: false)
        do {
            let certificate = try await tlsCertificate(of: peer)
            status.certificateProvince = certificate.federationProvince?.rawValue
            status.certificateNotAfter = certificate.notValidAfter
            guard certificate.federationProvince == peer.code else {
                status.error = "TLS certificate at \(peer.url) names province \(status.certificateProvince ?? "none"), expected \(peer.code)"
                return status
            }
            let identity = try await verifiedIdentity(of: peer)
            // The round trip is a full signed exchange: our request verified there, its answer verified here.
            let start = ContinuousClock.now
            let ping = try await request(peer, method: .POST, path: "/v1/ping", json: Data("{}".utf8))
            let elapsed = ContinuousClock.now - start
            guard ping.status == 200 else { throw Self.refusal(peer, status: ping.status, body: ping.body) }
            status.roundTripMilliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            status.identityName = identity.document.name
            status.version = identity.document.version
            status.signingKeyId = identity.keyID
            status.signingAlgorithm = identity.key.algorithm.rawValue
            status.reachable = true
        } catch let error as TongbanError {
            status.error = error.message
        } catch {
            status.error = Self.describe(error)
        }
        return status
    }

    /// The certificate `peer` presents on its peer listener, checked against the federation roots.
    public func tlsCertificate(of peer: PeerEndpoint) async throws -> Certificate {
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
            throw TongbanError(.peerUnreachable, "province \(peer.code) at \(peer.url): \(Self.describe(error))")
        }
    }
}
