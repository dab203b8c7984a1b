import Foundation
import NIOCore
import TongbanClient
import TongbanCore
import TongbanDemo

extension TongbanBench {
    /// A signed scenario on the wire generator against the gateway (or, with `port`, a reference that answers the
    /// same signed requests). Closed loop: a one-second pilot (its own pre-signed requests, not measured) gives the
    /// rate, and the timed phase gets a pool of twice that rate (at most `--presign-rate`) for its duration. Open
    /// loop at `rate`: exactly its requests. Signing happens before `measure` starts its clocks.
    func wire(_ name: String, size: Int, workers: Int, federation: BenchFederation, load: Workload, ask: Workload.Ask,
              rate: Int? = nil, itemsPerAnswer: Int = 1, countsRecords: Bool = false, port: Int? = nil, server pid: Int32? = nil,
              alongside: (@Sendable () async -> Void)? = nil) async throws -> ScenarioResult {
        let pid = pid ?? federation.serverPID
        guard selected(name) else { return await measure(name, size: size, workers: workers, server: pid) { LoadResult() } }
        let generator = try await WireGenerator.connect(
            count: workers, host: "127.0.0.1", port: port ?? URL(string: federation.serverProvince.peerURL)!.port!,
            serverHostname: ProvinceHostName.make(BenchFederation.server), credentials: try federation.clientCredentials)
        defer { Task { await generator.close() } }
        let clock = ContinuousClock(), signingStart = clock.now
        let pool: RequestPool
        let mode: WireRun.Mode
        if let rate {
            pool = try load.pool(ask, count: Int(Double(rate) * duration) + workers)
            mode = .open(rate: rate, duration: .milliseconds(Int64(duration * 1000)))
        } else {
            let pilot = try await generator.run(.closed(duration: .milliseconds(Int64(min(1, duration) * 1000))), pool: try load.pool(ask, count: min(presignRate, 2000)),
                                                expectedStatus: ask.expectedStatus, itemsPerAnswer: itemsPerAnswer, verify: load.verifier)
            if pilot.errors > 0 { progress("    the pilot had \(pilot.errors) errors, first: \(pilot.firstError ?? "")") }
            let pilotRate = pilot.seconds > 0 ? Double(pilot.requests) / pilot.seconds : Double(presignRate)
            pool = try load.pool(ask, count: Int(min(Double(presignRate), max(2 * pilotRate, 100)) * duration) + workers)
            mode = .closed(duration: .milliseconds(Int64(duration * 1000)))
        }
        let signing = LoadGenerator.seconds(clock.now - signingStart)
        var result = await measure(name, size: size, workers: workers, server: pid, countsRecords: countsRecords) {
            async let answered = (try? await generator.run(mode, pool: pool, expectedStatus: ask.expectedStatus,
                                                            itemsPerAnswer: itemsPerAnswer, verify: load.verifier)) ?? LoadResult()
            if let alongside { await alongside() }
            return await answered
        }
        result.presignedRequests = pool.requests.count
        result.presignSeconds = signing
        if result.poolExhausted == true { progress("    the pool of \(pool.requests.count) pre-signed requests ran out: raise --presign-rate") }
        return result
    }

    /// A raw scenario (no signatures: the references, `identity-raw`): one GET sent again and again, asking for gzip.
    func wireRaw(_ name: String, size: Int, workers: Int, port: Int, path: String, server pid: Int32,
                 credentials: ClientCredentials) async throws -> ScenarioResult {
        guard selected(name) else { return await measure(name, size: size, workers: workers, server: pid) { LoadResult() } }
        let hostName = ProvinceHostName.make(BenchFederation.server)
        let generator = try await WireGenerator.connect(count: workers, host: "127.0.0.1", port: port, serverHostname: hostName,
                                                        credentials: credentials)
        defer { Task { await generator.close() } }
        let request = "GET \(path) HTTP/1.1\r\nHost: \(hostName):\(port)\r\nAccept-Encoding: gzip\r\n\r\n"
        let pool = RequestPool(repeating: Array(request.utf8))
        return await measure(name, size: size, workers: workers, server: pid) {
            (try? await generator.run(.closed(duration: .milliseconds(Int64(duration * 1000))), pool: pool)) ?? LoadResult()
        }
    }
}
