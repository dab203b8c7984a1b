import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import TongbanClient

/// The bench's raw mode: plain keep-alive GETs over mutual TLS asking for gzip, no signatures — what nginx and
/// the framework references are measured with.
struct RawClient: Sendable {
    let http: HTTPClient

    init(credentials: ClientCredentials, connections: Int) throws {
        var configuration = HTTPClient.Configuration(tlsConfiguration: credentials.clientTLSConfiguration,
                                                     timeout: .init(connect: .seconds(10), read: .seconds(30)), decompression: .disabled)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connections
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func get(_ url: String) async throws -> Outcome {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept-Encoding", value: "gzip")
        let response = try await http.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 << 20)
        guard response.status == .ok else { throw BenchError("\(url) answered \(response.status.code)") }
        return Outcome(wireBytes: body.readableBytes, rawBytes: body.readableBytes)
    }

    func shutdown() async throws { try await http.shutdown() }
}
