import Foundation

extension TongbanBench {
    /// `--compare B`: query-1 on build A (`--tongband`) and build B, alternately (A B, B A, A B, …) on one seeded store,
    /// `--compare-rounds` runs of each. This machine's speed drifts by up to ±40 % within minutes, so two builds are
    /// compared only within one invocation, by the spread of several runs each, never against an older table.
    func compare(a: String, b: String, federation: inout BenchFederation, load: Workload, launcher: [String]) async throws {
        var runs: [(build: String, result: ScenarioResult)] = []
        for round in 0..<compareRounds {
            let order = round % 2 == 0 ? [("A", a), ("B", b)] : [("B", b), ("A", a)]
            for (label, executable) in order {
                progress("compare: round \(round + 1), build \(label) (\(executable))")
                try await federation.restartServer(tongband: executable, launcher: launcher)
                _ = try await load.check()
                var result = try await wire("query-1", size: records, workers: connections, federation: federation, load: load, ask: .query)
                result.scenario = "query-1[\(label)\(round + 1)]"
                if result.errors > 0 { progress("    \(result.errors) errors, first: \(result.firstError ?? "")") }
                runs.append((label, result))
            }
        }
        let encoded = try runs.map { String(decoding: try ScenarioResult.encoder().encode($0.result), as: UTF8.self) }
        try (encoded.joined(separator: "\n") + "\n").write(toFile: URL(fileURLWithPath: dir).standardized.path + "/compare.jsonl",
                                                          atomically: true, encoding: .utf8)
        if json { encoded.forEach { print($0) }; return }
        print("| Run | Req/s | Server µs/req | p99 ms | Client core % | Steal % | Errors |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for run in runs {
            let r = run.result
            print("| \(r.scenario) | \(Int(r.rps)) | \(format(r.serverCpuUsPerRequest)) | \(String(format: "%.2f", r.p99Ms)) | "
                  + "\(format(r.clientCorePercent)) | \(format(r.serverCpuStealPercent, digits: 1)) | \(r.errors) |")
        }
        print("")
        var means: [String: Double] = [:]
        for label in ["A", "B"] {
            let cpu = runs.filter { $0.build == label }.compactMap(\.result.serverCpuUsPerRequest)
            let rps = runs.filter { $0.build == label }.map(\.result.rps)
            guard let low = cpu.min(), let high = cpu.max(), let rpsLow = rps.min(), let rpsHigh = rps.max() else { continue }
            means[label] = cpu.reduce(0, +) / Double(cpu.count)
            print("build \(label): server µs/req mean \(format(means[label])) (\(format(low))–\(format(high))), "
                  + "req/s mean \(Int(rps.reduce(0, +) / Double(rps.count))) (\(Int(rpsLow))–\(Int(rpsHigh)))")
        }
        if let meanA = means["A"], let meanB = means["B"], meanA > 0 {
            let spreadA = runs.filter { $0.build == "A" }.compactMap(\.result.serverCpuUsPerRequest)
            let spreadB = runs.filter { $0.build == "B" }.compactMap(\.result.serverCpuUsPerRequest)
            let separated = (spreadB.max() ?? 0) < (spreadA.min() ?? 0) || (spreadB.min() ?? 0) > (spreadA.max() ?? 0)
            print("B against A: \(String(format: "%+.1f", (meanB / meanA - 1) * 100)) % server CPU per exchange; "
                  + (separated ? "the runs' ranges do not overlap" : "the runs' ranges overlap: no difference shown"))
        }
    }

    private func format(_ value: Double?, digits: Int = 0) -> String {
        value.map { String(format: "%.\(digits)f", $0) } ?? "—"
    }
}
