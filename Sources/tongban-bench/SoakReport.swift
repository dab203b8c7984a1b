/// The soak's human-readable report: the timeline of samples, the figures, the checks and the verdict.
enum SoakReport {
    static func print(_ r: SoakResult) {
        let header = ["T s", "REQ/S", "ERR", "P99 ms", "SRV µs/REQ", "SRV RSS MiB", "SRV OWN MiB", "SRV FDS", "CONNS", "OTHER FDS",
                      "CLI RSS MiB", "CLI FDS", "GEN RSS MiB"]
        Report.table(header, r.samples.enumerated().map { index, s in
            // The last sample is taken once every answer has arrived: its interval is the tail of the run.
            [index == r.samples.count - 1 ? "end" : format(s.seconds, 0), format(s.rps, 0), String(s.errors), format(s.p99Ms, 2),
             s.serverCpuUsPerRequest.map { format($0, 0) } ?? "-", s.server.map { format($0.rssMib, 1) } ?? "-", s.server.map { format($0.anonymousRssMib, 1) } ?? "-",
             s.server.map { String($0.descriptors) } ?? "-", s.server.map { String($0.connections) } ?? "-",
             s.server.map { String($0.otherDescriptors) } ?? "-", s.client.map { format($0.rssMib, 1) } ?? "-",
             s.client.map { String($0.descriptors) } ?? "-", s.generatorRssMib.map { format($0, 1) } ?? "-"]
        })
        let held = r.targetRps > 0 ? r.achievedRps / Double(r.targetRps) * 100 : 0
        let latency = [r.p50Ms, r.p90Ms, r.p99Ms, r.p999Ms].map { format($0, 2) } + [format(r.maxMs, 1)]
        let lag = [r.startLagP50Ms, r.startLagP99Ms].map { format($0, 2) } + [format(r.startLagMaxMs, 1)]
        let firstError = r.firstError.map { " — first error: \($0)" } ?? ""
        Swift.print("""

            soak: single-record signed queries (query-1), \(r.storeRecords) records, \(format(r.seconds, 0)) s open loop
            capacity (query-1 closed loop): \(format(r.capacityRps, 0))/s
            target (\(format(r.loadPercent, 0)) % of it) / achieved: \(r.targetRps)/s / \(format(r.achievedRps, 1))/s (\(format(held, 1)) %)
            requests answered / errors: \(r.requests) / \(r.errors) of \(r.sent) sent, \(r.scheduled) scheduled\(firstError)
            latency ms p50 / p90 / p99 / p99.9 / max: \(latency.joined(separator: " / "))
            start after schedule ms (all connections busy, or the generator) p50 / p99 / max: \(lag.joined(separator: " / "))
            """)
        if let cpu = r.serverCpuUsPerRequest {
            Swift.print("server CPU per answer: \(format(cpu, 0)) µs"
                        + (r.serverCpuStealPercent.map { ", hypervisor steal on its CPU \(format($0, 1)) %" } ?? ""))
        }
        Swift.print("baseline: the sample at \(format(r.baselineSeconds, 0)) s (warm-up \(format(r.warmupSeconds, 0)) s; the replay window is "
                    + "\(r.replayWindowSeconds) s); growth = (end − baseline) / baseline")
        for (name, daemon) in [("server (北京 11, answering)", r.server), ("client (上海 31, idle gateway)", r.client)] {
            guard let d = daemon else {
                Swift.print("\(name): not read at the baseline or the end (it exited)")
                continue
            }
            Swift.print("\(name): RSS MiB \(d.rssOneMinuteMib.map { "at 1 min \(format($0, 1)), " } ?? "")"
                        + "baseline / max / end \(trio(d.rssMib, 1)): \(format(d.rssGrowthPercent, 1)) %; own memory \(trio(d.anonymousRssMib, 1))")
            Swift.print("    descriptors baseline / max / end \(trio(d.descriptors, 0)); other than live connections \(trio(d.otherDescriptors, 0)); "
                        + "connections \(trio(d.connections, 0))")
        }
        if let generator = r.generatorRssMib { Swift.print("generator RSS MiB baseline / max / end: \(trio(generator, 1))") }
        Swift.print("\nchecks:")
        for check in r.checks {
            Swift.print("  \(check.met ? "met   " : "FAILED") \(check.name): \(figure(check.measured)) (limit \(figure(check.limit)))")
        }
        Swift.print("verdict: \(r.passed ? "PASSED" : "FAILED")")
    }

    static func trio(_ trend: SoakResult.Trend, _ decimals: Int) -> String {
        [trend.baseline, trend.max, trend.end].map { format($0, decimals) }.joined(separator: " / ")
    }

    static func format(_ value: Double, _ decimals: Int) -> String { Report.format(value, decimals) }

    /// A count as a whole number, anything else with two decimals.
    static func figure(_ value: Double) -> String { format(value, value == value.rounded() ? 0 : 2) }
}
