import Foundation
import NIOHTTP1
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanDemo

/// The benchmark's requests, encoded ahead of time so the load generator spends its core on TLS, signing and
/// verifying — as a peer gateway would — not on building bodies. Each call still signs a fresh request
/// (new request id, new `created`) and verifies the answer's digest, signature and binding.
struct Workload: Sendable {
    static let requester = Requester(departmentCode: "310105PSB", departmentName: "上海市公安局户政处", operatorId: "bench")
    static let matter = "household-transfer"

    let client: PeerClient
    /// The gateway asked; the `nio-signed` reference is asked in its place for `catalogue-304`'s work alone.
    var peer: GatewayConfiguration.Peer
    let singleQueries: [Data]
    let batchQueries: [Data]
    let verifications: [Data]
    let batchSize: Int

    init(client: PeerClient, peer: GatewayConfiguration.Peer, subjects: [String], batchSize: Int) throws {
        var generator = SystemRandomNumberGenerator()
        let encoder = JSONCoding.encoder()
        func pick() -> String { subjects[Int.random(in: 0..<subjects.count, using: &generator)] }
        self.client = client
        self.peer = peer
        self.batchSize = batchSize
        singleQueries = try (0..<8192).map { _ in
            try encoder.encode(QueryRequest(resource: DemoCatalogue.household, matter: Self.matter, requester: Self.requester, subjects: [pick()]))
        }
        batchQueries = try (0..<32).map { _ in
            // Distinct subjects: a prime stride through the store from a random start.
            let start = Int.random(in: 0..<subjects.count, using: &generator)
            return try encoder.encode(QueryRequest(resource: DemoCatalogue.household, matter: Self.matter, requester: Self.requester,
                                                   subjects: (0..<batchSize).map { subjects[(start + $0 * 7919) % subjects.count] }))
        }
        verifications = try (0..<8192).map { index in
            try encoder.encode(VerifyRequest(resource: DemoCatalogue.household, matter: Self.matter, requester: Self.requester,
                                             subject: pick(), claims: ["gender": index % 2 == 0 ? "男" : "女"]))
        }
    }

    func query(_ sequence: Int) async throws -> Outcome {
        try await post("/v1/query", singleQueries[sequence % singleQueries.count])
    }

    func batch(_ sequence: Int) async throws -> Outcome {
        var outcome = try await post("/v1/query", batchQueries[sequence % batchQueries.count])
        outcome.items = batchSize
        return outcome
    }

    func verify(_ sequence: Int) async throws -> Outcome {
        try await post("/v1/verify", verifications[sequence % verifications.count])
    }

    /// `GET /v1/catalogue`, full (200) or conditional on `version` (304).
    func catalogue(ifNoneMatch version: String?) async throws -> Outcome {
        var fields: [(name: String, value: String)] = [("Accept-Encoding", "gzip")]
        if let version { fields.append(("If-None-Match", "\"\(version)\"")) }
        let response = try await client.request(peer, method: .GET, path: "/v1/catalogue", json: nil, fields: fields)
        guard response.status == (version == nil ? 200 : 304) else { throw BenchError("catalogue answered \(response.status)") }
        return Outcome(wireBytes: response.wireBytes, rawBytes: response.body.count)
    }

    func post(_ path: String, _ body: Data) async throws -> Outcome {
        let response = try await client.request(peer, method: .POST, path: path, json: body, fields: [("Accept-Encoding", "gzip")])
        guard response.status == 200 else {
            throw BenchError("\(path) answered \(response.status): \(String(decoding: response.body.prefix(300), as: UTF8.self))")
        }
        return Outcome(wireBytes: response.wireBytes, rawBytes: response.body.count)
    }

    /// One answer of each kind, checked for content before any timing: the records exist and are served.
    func check() async throws -> (singleBody: Data, batchBody: Data, catalogueVersion: String) {
        let single = try await client.request(peer, method: .POST, path: "/v1/query", json: singleQueries[0], fields: [("Accept-Encoding", "gzip")])
        let answer = try JSONCoding.decoder().decode(QueryResponse.self, from: single.body)
        guard single.status == 200, answer.records.count == 1 else { throw BenchError("a single-record query found \(answer.records.count) records") }
        let batch = try await client.request(peer, method: .POST, path: "/v1/query", json: batchQueries[0], fields: [("Accept-Encoding", "gzip")])
        let batchAnswer = try JSONCoding.decoder().decode(QueryResponse.self, from: batch.body)
        let asked = Set(try JSONCoding.decoder().decode(QueryRequest.self, from: batchQueries[0]).subjects).count
        guard batch.status == 200, batchAnswer.records.count == asked else {
            throw BenchError("a batch query found \(batchAnswer.records.count) of \(asked) subjects")
        }
        let verify = try await client.request(peer, method: .POST, path: "/v1/verify", json: verifications[0], fields: [])
        guard verify.status == 200 else { throw BenchError("verify answered \(verify.status)") }
        guard let catalogue = try await client.catalogue(of: peer, ifNoneMatch: nil) else { throw BenchError("no catalogue") }
        return (single.body, batch.body, catalogue.version)
    }
}
