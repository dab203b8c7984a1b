import Foundation
import Histogram

/// One line of the benchmark's report; `--json` prints it as one JSON object (snake_case keys).
struct ScenarioResult: Codable, Sendable {
    var scenario: String
    var connections: Int
    var storeRecords: Int
    var requests: Int
    var errors: Int
    var seconds: Double
    var rps: Double
    var p50Ms: Double
    var p90Ms: Double
    var p99Ms: Double
    var p999Ms: Double
    var maxMs: Double
    /// Server CPU (user + system, all threads) per answered request, and its resident memory.
    var serverCpuUsPerRequest: Double?
    var serverRssMib: Double?
    var serverPeakRssMib: Double?
    /// Of `serverRssMib` at the end of the scenario, the daemon's own memory (heap, stacks; not mapped files):
    /// what a scenario leaves behind.
    var serverAnonymousRssMib: Double?
    /// The share of the server's CPU the hypervisor took during the scenario (`CPUTimes`): above a few percent,
    /// latencies and CPU figures are the host's as much as the daemon's.
    var serverCpuStealPercent: Double?
    /// The load generator's own CPU per request (it signs and verifies too).
    var clientCpuUsPerRequest: Double?
    /// Mean response body on the wire and decoded.
    var wireBytes: Double
    var rawBytes: Double
    var recordsPerSecond: Double?
    /// How long the import running beside the load took (the import scenario only).
    var importSeconds: Double?
    var firstError: String?
    /// The wire generator's requests signed before the phase, how long that took, and whether they ran out.
    var presignedRequests: Int?
    var presignSeconds: Double?
    var poolExhausted: Bool?
    /// The generator's share of its own core during the phase (its CPU time over the phase's time): below 50 %,
    /// the figure is the server's.
    var clientCorePercent: Double?
    /// The PostgreSQL cluster's CPU per exchange (its processes, besides the gateway's own `serverCpuUsPerRequest`).
    var databaseCpuUsPerRequest: Double?
    /// Mean time from an audit entry's append to its commit (the gateway's `tongban_audit_write_seconds`), in ms.
    var auditCommitMs: Double?

    init(scenario: String, connections: Int, storeRecords: Int, load: LoadResult, server: (ProcessSample, ProcessSample)?,
         client: (ProcessSample, ProcessSample)?, serverCPU: (CPUTimes, CPUTimes)? = nil, countsRecords: Bool = false) {
        self.scenario = scenario
        self.connections = connections
        self.storeRecords = storeRecords
        requests = load.requests
        errors = load.errors
        seconds = load.seconds
        rps = load.seconds > 0 ? Double(load.requests) / load.seconds : 0
        p50Ms = load.percentileMilliseconds(50)
        p90Ms = load.percentileMilliseconds(90)
        p99Ms = load.percentileMilliseconds(99)
        p999Ms = load.percentileMilliseconds(99.9)
        maxMs = load.latency.maxMilliseconds
        let answered = Double(max(load.requests, 1))
        if let (before, after) = server {
            serverCpuUsPerRequest = (after.cpuSeconds - before.cpuSeconds) / answered * 1e6
            serverRssMib = after.rssMiB
            serverPeakRssMib = after.peakRSSMiB
            serverAnonymousRssMib = after.anonymousRSSMiB
        }
        if let (before, after) = serverCPU { serverCpuStealPercent = after.stealPercent(since: before) }
        if let (before, after) = client {
            clientCpuUsPerRequest = (after.cpuSeconds - before.cpuSeconds) / answered * 1e6
            if load.seconds > 0 { clientCorePercent = (after.cpuSeconds - before.cpuSeconds) / load.seconds * 100 }
        }
        poolExhausted = load.poolExhausted ? true : nil
        wireBytes = Double(load.wireBytes) / answered
        rawBytes = Double(load.rawBytes) / answered
        recordsPerSecond = countsRecords && load.seconds > 0 ? Double(load.items) / load.seconds : nil
        firstError = load.firstError
    }

    /// Records per answer (batch scenarios: the batch size; otherwise one).
    var recordsPerRequest: Double { recordsPerSecond.map { rps > 0 ? $0 / rps : 1 } ?? 1 }

    /// Exchanges per second one server core could answer at the measured CPU cost.
    var serverCoreCapacity: Double? { serverCpuUsPerRequest.map { $0 > 0 ? 1e6 / $0 : 0 } }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
