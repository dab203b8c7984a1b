import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanPKI

/// Where a signed manifest can come from: the last good copy on disk, the configured file, the hub's URL, and
/// peers' `GET /v1/federation`. Each answers the JWS text or why it could not.
enum ManifestSources {
    /// The JWS in `path`, or nil when there is no such file.
    static func read(_ path: String) throws(TongbanError) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path), data.count <= ManifestJWS.maximumBytes,
              let text = String(data: data, encoding: .utf8) else {
            throw TongbanError(.manifestInvalid, "\(path) is not readable, not UTF-8 or over \(ManifestJWS.maximumBytes) bytes")
        }
        return text
    }

    /// `GET url` over HTTPS, trusting `hubCA` (PEM) or the system's roots; the body, capped.
    static func fetchHub(_ url: String, hubCA: String?, timeout: Duration) async throws(TongbanError) -> String {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let hubCA {
            do { tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(hubCA)) } catch {
                throw TongbanError(.configInvalid, "federation.hubCA \(hubCA): \(error)")
            }
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, timeout: .init(connect: .seconds(min(timeout.components.seconds, 5))))
        configuration.redirectConfiguration = .disallow
        // A hub that is down (its port closed: RST at once) fails the fetch at once, so the refresh goes on to the
        // peers, instead of the connection being tried again until the whole timeout has passed.
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        defer { _ = client.shutdown() }
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .milliseconds(Int64(timeout.components.seconds * 1000)))
            guard response.status == .ok else { throw TongbanError(.peerUnreachable, "the hub answered \(response.status.code)") }
            let body = try await response.body.collect(upTo: ManifestJWS.maximumBytes)
            return String(buffer: body)
        } catch let error as TongbanError {
            throw error
        } catch {
            throw TongbanError(.peerUnreachable, "\(error)")
        }
    }

    /// `peer`'s copy, fetched as a signed exchange (its answer verified with the manifest in force).
    static func fetchPeer(_ peer: PeerEndpoint, client: PeerClient) async throws(TongbanError) -> String {
        let response = try await client.request(peer, method: .GET, path: "/v1/federation", json: nil)
        guard response.status == 200 else { throw PeerClient.refusal(peer, status: response.status, body: response.body) }
        guard let text = String(data: response.body, encoding: .utf8) else { throw TongbanError(.manifestInvalid, "not UTF-8") }
        return text
    }
}
