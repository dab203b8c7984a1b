import Foundation

/// The human-readable report: one row per scenario, then the references, the bound and the targets.
enum Report {
    static func print(_ results: [ScenarioResult], summary: Summary) {
        let header = ["SCENARIO", "RECORDS", "CONNS", "REQUESTS", "ERR", "REQ/S", "P50 ms", "P90 ms", "P99 ms", "P99.9 ms",
                      "SRV µs/req", "SRV RSS MiB", "STEAL %", "CLI µs/req", "CLI CORE %", "WIRE B", "RAW B", "RECORDS/S"]
        let rows = results.map { r -> [String] in
            let dash = "-"
            let server: [String] = [r.serverCpuUsPerRequest.map { format($0, 0) } ?? dash, r.serverPeakRssMib.map { format($0, 1) } ?? dash,
                                    r.serverCpuStealPercent.map { format($0, 1) } ?? dash]
            let client: [String] = [r.clientCpuUsPerRequest.map { format($0, 0) } ?? dash, r.clientCorePercent.map { format($0, 0) } ?? dash]
            let latency: [String] = [format(r.p50Ms, 2), format(r.p90Ms, 2), format(r.p99Ms, 2), format(r.p999Ms, 2)]
            let counts: [String] = [r.scenario, String(r.storeRecords), String(r.connections), String(r.requests), String(r.errors), format(r.rps, 0)]
            let bytes: [String] = [format(r.wireBytes, 0), format(r.rawBytes, 0), r.recordsPerSecond.map { format($0, 0) } ?? dash]
            return counts + latency + server + client + bytes
        }
        table(header, rows)
        Swift.print("")
        for r in results where r.databaseCpuUsPerRequest != nil || r.auditCommitMs != nil {
            let database = r.databaseCpuUsPerRequest.map { " + PostgreSQL \(format($0, 0)) µs" } ?? ""
            let gateway = r.serverCpuUsPerRequest.map { format($0, 0) } ?? "-"
            Swift.print("\(r.scenario): server CPU per exchange \(gateway) µs\(database); audit commit mean \(r.auditCommitMs.map { format($0, 2) } ?? "-") ms")
        }
        if let worst = results.compactMap({ r in r.serverCpuStealPercent.map { (r.scenario, $0) } }).max(by: { $0.1 < $1.1 }) {
            Swift.print("hypervisor steal on the server's CPU\((summary.serverCpus ?? 1) > 1 ? "s" : ""): at most \(format(worst.1, 1)) % of a scenario (\(worst.0))"
                        + (worst.1 >= 2 ? " — the host was busy, so those figures are partly the host's" : ""))
        }
        Swift.print("P-256 on one core: \(format(summary.signPerSecond, 0)) signatures/s, \(format(summary.verifyPerSecond, 0)) verifications/s")
        if let sign = summary.sm2SignPerSecond, let verify = summary.sm2VerifyPerSecond {
            let openssl = summary.opensslSm2SignPerSecond.map { sign in
                "; openssl speed sm2: \(format(sign, 0)) signatures/s, \(format(summary.opensslSm2VerifyPerSecond ?? 0, 0)) verifications/s"
            } ?? ""
            Swift.print("SM2 on one core, in process: \(format(sign, 0)) signatures/s, \(format(verify, 0)) verifications/s" + openssl)
        }
        Swift.print("fdatasync of a 16 KiB overwrite on the store's disk: p50 \(format(summary.fsync.p50Ms, 2)) ms, p99 \(format(summary.fsync.p99Ms, 2)) ms, "
                    + "p99.9 \(format(summary.fsync.p999Ms, 2)) ms, max \(format(summary.fsync.maxMs, 1)) ms (\(format(summary.fsync.syncsPerSecond, 0)) per second, one at a time)")
        if let nginx = summary.nginxRps, let bound = summary.boundRps {
            Swift.print("nginx (TLS 1.3 + client certificates + gzip, same body): \(format(nginx, 0)) req/s")
            Swift.print("modelled bound 1/(1/nginx + 1/verify + 1/sign): \(format(bound, 0)) exchanges/s")
            Swift.print("Tongban query-1: \(format(summary.rps, 0)) exchanges/s = \(format(summary.ratioToNginx ?? 0, 2)) × nginx, \(format(summary.ratioToBound ?? 0, 2)) × bound")
        }
        if let cpus = summary.serverCpus, cpus > 1 {
            Swift.print("the server ran on \(cpus) CPUs: rates above are of all of them; the targets stated for one core are judged per CPU")
        }
        let layers = Summary.layers.compactMap { name in summary.layerServerCpuUs[name].map { "\(name) \(format($0, 0))" } }
        if layers.count > 1 { Swift.print("server CPU µs per single-record request, layer by layer: " + layers.joined(separator: ", ")) }
        if let capacity = summary.serverCoreCapacity {
            Swift.print("server CPU per exchange → one server core answers \(format(capacity, 0)) exchanges/s"
                        + (summary.capacityRatioToBound.map { " (\(format($0, 2)) × bound)" } ?? ""))
        }
        if summary.latencyByRate.count > 1 {
            let steps = summary.latencyByRate.map { step in
                "\(step.rate)/s p99 \(format(step.p99Ms, 1)) ms" + (step.serverCpuUsPerRequest.map { " (\(format($0, 0)) µs)" } ?? "")
            }
            Swift.print("single-record latency by offered rate (p99, server CPU per exchange): " + steps.joined(separator: ", "))
            Swift.print("highest rate measured with p99 ≤ \(format(Summary.p99TargetMs, 0)) ms: "
                        + (summary.highestRateWithinP99Target.map { "\($0)/s" } ?? "none"))
        }
        if let idle = summary.idleRssMib { Swift.print("server RSS idle: \(format(idle, 1)) MiB") }
        if let held = summary.idleConnectionsRssMib, let each = summary.idleConnectionKib {
            Swift.print("server RSS with \(summary.idleConnections) idle mutual-TLS connections: \(format(held, 1)) MiB (\(format(each, 1)) KiB each)")
        }
        if let final = summary.finalRssMib {
            Swift.print("server RSS after the run (\(summary.storeRecords) records imported, every scenario run): \(format(final, 1)) MiB"
                        + (summary.finalAnonymousRssMib.map { ", of which \(format($0, 1)) MiB its own memory and the rest mapped files (the record store read through a memory map, the executable, the libraries)" } ?? ""))
        }
        Swift.print("\ntargets:")
        for target in summary.targets {
            Swift.print("  \(target.met ? "met   " : "MISSED") \(target.name): \(format(target.measured, target.measured < 10 ? 2 : 0)) (target \(format(target.limit, target.limit < 10 ? 2 : 0)))")
        }
    }

    static func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }

    static func table(_ header: [String], _ rows: [[String]]) {
        var widths = header.map(\.count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == 0 ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[index] - cell.count) + cell
            }.joined(separator: "  ")
        }
        Swift.print(line(header))
        rows.forEach { Swift.print(line($0)) }
    }
}
