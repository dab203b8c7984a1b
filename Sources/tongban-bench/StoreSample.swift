import AsyncHTTPClient
import Foundation
import NIOCore
import TongbanCore
import TongbanDemo

/// What the store costs around a scenario: the CPU of the PostgreSQL cluster's processes (the postmaster and
/// its children, which the gateway's CPU does not include), and the gateway's audit commits from its metrics
/// (`tongban_audit_write_seconds`: the time from an entry's append to its group commit on disk).
struct StoreSample: Sendable {
    var databaseCPUSeconds: Double?
    var auditWriteSeconds: Double?
    var auditWrites: Double?

    static func read(cluster: LocalPostgres?, localURL: String) async -> StoreSample {
        var sample = StoreSample()
        if let cluster { sample.databaseCPUSeconds = clusterCPU(cluster) }
        if let metrics = await fetch(localURL + "/metrics") {
            for line in metrics.split(separator: "\n") where line.hasPrefix("tongban_audit_write_seconds_") {
                let parts = line.split(separator: " ")
                guard parts.count == 2, let value = Double(parts[1]) else { continue }
                if parts[0] == "tongban_audit_write_seconds_sum" { sample.auditWriteSeconds = value }
                if parts[0] == "tongban_audit_write_seconds_count" { sample.auditWrites = value }
            }
        }
        return sample
    }

    /// Mean audit commit in ms, and database CPU in µs per exchange, between `earlier` and this sample.
    func since(_ earlier: StoreSample, requests: Int) -> (auditCommitMs: Double?, databaseCpuUs: Double?) {
        var commit: Double?
        if let sum = auditWriteSeconds, let count = auditWrites, let sum0 = earlier.auditWriteSeconds, let count0 = earlier.auditWrites, count > count0 {
            commit = (sum - sum0) / (count - count0) * 1000
        }
        var database: Double?
        if let cpu = databaseCPUSeconds, let cpu0 = earlier.databaseCPUSeconds, requests > 0 { database = (cpu - cpu0) / Double(requests) * 1e6 }
        return (commit, database)
    }

    /// The postmaster (`DIR/data/postmaster.pid`) and the processes it started.
    static func clusterPIDs(_ cluster: LocalPostgres) -> [Int32] {
        guard let text = try? String(contentsOfFile: cluster.directory + "/data/postmaster.pid", encoding: .utf8),
              let first = text.split(separator: "\n").first, let postmaster = Int32(first) else { return [] }
        var pids = [postmaster]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 2, Int32(fields[1]) == postmaster { pids.append(pid) }
        }
        return pids
    }

    static func clusterCPU(_ cluster: LocalPostgres) -> Double {
        clusterPIDs(cluster).compactMap { ProcessSample.read(pid: $0)?.cpuSeconds }.reduce(0, +)
    }

    /// Pins the cluster's processes to `cpus` (a taskset list); backends it starts later inherit it from the postmaster.
    static func pin(_ cluster: LocalPostgres, cpus: String) {
        for pid in clusterPIDs(cluster) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
            process.arguments = ["-a", "-p", "-c", cpus, String(pid)]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try? process.run()
            process.waitUntilExit()
        }
    }

    static func fetch(_ url: String) async -> String? {
        do {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
            let body = try await response.body.collect(upTo: 8 << 20)
            return String(buffer: body)
        } catch {
            return nil
        }
    }
}
