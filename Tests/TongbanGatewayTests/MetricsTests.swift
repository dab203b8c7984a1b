import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanTestKit

/// `GET /metrics` on the local listener: the text parses with the official Prometheus parser
/// (`prometheus_client` from PyPI, installed by `make interop-venv`) and the counters move with traffic.
@Suite(.serialized) struct MetricsTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = repository.appendingPathComponent(".build/interop-venv/bin/python3").path
    static let parser = repository.appendingPathComponent("Tests/Interop/prometheus_parse.py").path

    struct Sample: Decodable {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    struct Parsed: Decodable {
        let types: [String: String]
        let samples: [Sample]

        func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
            samples.first { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }?.value
        }
    }

    /// Scrapes `url` and parses it with prometheus_client; fails the test when the parser refuses the text.
    static func scrape(_ url: String, in directory: TemporaryDirectory) async throws -> Parsed {
        try #require(FileManager.default.isExecutableFile(atPath: python), "no interop venv: run 'make interop-venv' (make test does)")
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = client.shutdown() }
        let response = try await client.execute(HTTPClientRequest(url: url + "/metrics"), timeout: .seconds(10))
        #expect(response.status.code == 200)
        #expect(response.headers.first(name: "Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = String(buffer: try await response.body.collect(upTo: 8 << 20))
        #expect(!text.contains(ExchangeTests.person) && !text.contains(ExchangeTests.other) && !text.contains("王小明"), "personal data in metrics")
        let file = directory.file("metrics-\(UUID().uuidString).txt")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let (status, output) = try Spawn.capture(python, [parser, file])
        try #require(status == 0, "prometheus_client refused the text: \(output)\n\(text)")
        return try JSONDecoder().decode(Parsed.self, from: Data(output.utf8))
    }

    @Test func metricsParseAndMoveWithTraffic() async throws {
        let f = try await ExchangeTests.Federation.start()
        defer { f.federation.remove() }
        let beijing = f.federation["11"].localURL, shanghai = f.federation["31"].localURL
        let before = try await Self.scrape(shanghai, in: f.federation.directory)
        #expect(before.types["tongban_audit_write_seconds"] == "histogram")
        #expect(before.types["tongban_store_checkpoint_seconds"] == "histogram")
        #expect(before.value("tongban_store_checkpoint_seconds_count", ["file": "records"]) != nil, "both files' series exist from the start")
        let inboundQuery = ["peer": "11", "endpoint": "query", "direction": "inbound", "status": "200"]
        let servedBefore = before.value("tongban_exchanges_total", inboundQuery) ?? 0

        let served = try await f.query(TestCatalogue.household, "medical-registration", [ExchangeTests.person, ExchangeTests.other])
        #expect(served.status == 200)
        let refused = try await f.query(TestCatalogue.marriage, "marriage-registration", [ExchangeTests.person])
        #expect(refused.status == 403)

        let after = try await Self.scrape(shanghai, in: f.federation.directory)
        #expect(after.types["tongban_exchanges"] == "counter")
        #expect(after.value("tongban_exchanges_total", inboundQuery) == servedBefore + 1)
        #expect(after.value("tongban_exchanges_total", ["peer": "11", "endpoint": "query", "direction": "inbound", "status": "403"]) == 1)
        #expect(after.value("tongban_refusals_total", ["code": "tongban.policy.not-shared"]) == 1)
        #expect(after.value("tongban_records_provided_total", ["peer": "11"]) == 2)
        #expect((after.value("tongban_bytes_total", ["peer": "11", "direction": "inbound", "form": "wire"]) ?? 0) > 0)
        #expect((after.value("tongban_audit_chain_entries") ?? 0) >= 2)
        #expect((after.value("tongban_audit_write_seconds_count") ?? 0) >= 2)
        #expect((after.value("tongban_exchange_duration_seconds_count", ["endpoint": "query", "direction": "inbound"]) ?? 0) >= 2)
        #expect((after.value("tongban_certificate_expiry_timestamp_seconds", ["owner": "own", "usage": "tls"]) ?? 0) > Date().timeIntervalSince1970)
        // The caller's TLS certificate, seen in the handshake.
        #expect((after.value("tongban_certificate_expiry_timestamp_seconds", ["owner": "11", "usage": "tls"]) ?? 0) > Date().timeIntervalSince1970)

        let requester = try await Self.scrape(beijing, in: f.federation.directory)
        #expect(requester.value("tongban_exchanges_total", ["peer": "31", "endpoint": "query", "direction": "outbound", "status": "200"]) == 1)
        #expect(requester.value("tongban_records_obtained_total", ["peer": "31"]) == 2)
        #expect(requester.value("tongban_peer_up", ["peer": "31"]) == 1)
        #expect(requester.value("tongban_peer_circuit_state", ["peer": "31"]) == 0)
        #expect((requester.value("tongban_certificate_expiry_timestamp_seconds", ["owner": "31", "usage": "signing"]) ?? 0) > 0)

        // The checkpoint service runs every second and times each checkpoint of each file.
        var checkpoints = after.value("tongban_store_checkpoint_seconds_count", ["file": "audit"]) ?? 0
        for _ in 0..<20 where checkpoints < 1 {
            try await Task.sleep(for: .milliseconds(250))
            checkpoints = try await Self.scrape(shanghai, in: f.federation.directory).value("tongban_store_checkpoint_seconds_count", ["file": "audit"]) ?? 0
        }
        #expect(checkpoints >= 1, "no checkpoint timed within 5 s")

        // Never on the peer listener.
        let peerClient = try TLSClients.peerClient(as: f.federation["11"], federation: f.federation)
        let onPeer = try await peerClient.request(.init(code: try ProvinceCode("31"), name: "上海", url: f.federation["31"].peerURL),
                                                  method: .GET, path: "/metrics", json: nil)
        #expect(onPeer.status == 404)
        try await peerClient.shutdown()
        await f.stop()
    }

    /// The reciprocity series of every configured peer exist at 0 before any exchange, so that the one-way alert
    /// in operations.md (obtained > 0 and provided == 0) can fire: an absent series compares to nothing.
    @Test func reciprocitySeriesExistForEveryPeerBeforeAnyExchange() async throws {
        let federation = try TestFederation(provinces: ["11", "31", "44"], catalogue: TestCatalogue.exchangeYAML())
        defer { federation.remove() }
        let beijing = try await RunningDaemon(federation["11"])  // 31 and 44 never start, so never call 11
        let metrics = try await Self.scrape(federation["11"].localURL, in: federation.directory)
        for peer in ["31", "44"] {
            #expect(metrics.value("tongban_records_provided_total", ["peer": peer]) == 0)
            #expect(metrics.value("tongban_records_obtained_total", ["peer": peer]) == 0)
        }
        _ = await beijing.stop()
    }
}
