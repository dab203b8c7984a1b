import Foundation
import Testing
import TongbanTestKit

/// `tongban-bench --soak` (`make soak` runs it for 30 minutes) for a few seconds at a low rate: the report carries
/// its figures and they add up, and the verdict fails — exit status 2 — when the answering daemon stops answering.
@Suite struct SoakTests {
    /// The options of a short soak: a tiny store, one second of capacity measurement, 20 % of it for `seconds`.
    static func arguments(directory: String, seconds: Int) -> [String] {
        ["--dir", directory, "--records", "300", "--duration", "1", "--connections", "4", "--nginx", "none",
         "--server-cpu=-1", "--soak", String(seconds), "--soak-warmup", "2", "--soak-interval", "1", "--soak-load", "20", "--json"]
    }

    static func objects(_ output: String) -> [String: [String: Any]] {
        let objects = output.split(separator: "\n").filter { $0.hasPrefix("{") }.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        return Dictionary(objects.compactMap { object in (object["scenario"] as? String).map { ($0, object) } },
                          uniquingKeysWith: { _, last in last })
    }

    @Test func aShortSoakReportsConsistentFiguresAndPasses() throws {
        let directory = try TemporaryDirectory("soak")
        defer { directory.remove() }
        let run = try Spawn.capture(BuiltProducts.bench, Self.arguments(directory: directory.path, seconds: 6))
        #expect(run.status == 0, "\(run.output)")
        let objects = Self.objects(run.output)
        // The capacity measurement keeps the benchmark's keys.
        let capacity = try #require(objects["query-1"], "no capacity line in \(run.output)")
        for key in ["rps", "p99_ms", "server_rss_mib", "errors"] { #expect(capacity[key] != nil, "the capacity line lacks \(key)") }
        let soak = try #require(objects["soak"], "no soak object in \(run.output)")
        let rps = try #require(capacity["rps"] as? Double)
        let target = try #require(soak["target_rps"] as? Int)
        #expect(target == max(1, Int((rps * 0.2).rounded())), "target \(target) is not 20 % of \(rps)")
        let requests = try #require(soak["requests"] as? Int), errors = try #require(soak["errors"] as? Int)
        #expect(errors == 0, "\(soak["first_error"] ?? "")")
        #expect(requests + errors == soak["sent"] as? Int && soak["sent"] as? Int == soak["scheduled"] as? Int && requests == target * 6,
                "\(requests) + \(errors) of \(soak["sent"] ?? "") sent, \(soak["scheduled"] ?? "") scheduled")
        #expect((soak["achieved_rps"] as? Double ?? 0) >= Double(target) * 0.95)
        // A sample every second from 0 to 6 s and one at the end; the baseline is the first at or after the warm-up.
        let samples = try #require(soak["samples"] as? [[String: Any]])
        #expect((7...9).contains(samples.count), "\(samples.count) samples")
        #expect(samples.reduce(0) { $0 + ($1["requests"] as? Int ?? 0) } == requests, "the intervals' requests do not add up")
        #expect(samples.allSatisfy { ($0["server"] as? [String: Any])?["descriptors"] is Int }, "a sample lacks the server's descriptors")
        // Every interval with answers after the first carries the server's CPU per answer: more than 0, less than a second.
        let costs = samples.dropFirst().filter { ($0["requests"] as? Int ?? 0) > 0 }.map { $0["server_cpu_us_per_request"] as? Double }
        #expect(!costs.isEmpty && costs.allSatisfy { ($0 ?? 0) > 0 && ($0 ?? 0) < 1e6 }, "\(costs)")
        let baseline = try #require(soak["baseline_seconds"] as? Double)
        #expect(baseline >= 2 && baseline < 3.5, "baseline at \(baseline) s")
        let journal = try String(contentsOfFile: directory.file("soak-samples.jsonl"), encoding: .utf8)
        #expect(journal.split(separator: "\n").count == samples.count, "the journal has other samples than the report")
        let server = try #require(soak["server"] as? [String: Any])
        let rss = try #require(server["rss_mib"] as? [String: Double])
        #expect((rss["baseline"] ?? 0) > 0 && (rss["max"] ?? 0) >= (rss["end"] ?? 0), "\(rss)")
        let growth = try #require(server["rss_growth_percent"] as? Double)
        #expect(abs(growth - ((rss["end"] ?? 0) - (rss["baseline"] ?? 0)) / (rss["baseline"] ?? 1) * 100) < 1e-9)
        #expect((server["other_descriptors"] as? [String: Double])?["end"] != nil && soak["client"] is [String: Any])
        let checks = try #require(soak["checks"] as? [[String: Any]])
        #expect(checks.count == 6 && checks.allSatisfy { $0["met"] as? Bool == true }, "\(checks)")
        #expect(soak["passed"] as? Bool == true)
    }

    /// The answering daemon killed a second into the load: every later request fails, the daemon cannot be read at
    /// the end, and the soak says so with exit status 2 (not 1, a run that could not be made).
    @Test func failsWhenTheAnsweringDaemonDies() async throws {
        let directory = try TemporaryDirectory("soak-kill")
        defer { directory.remove() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltProducts.bench)
        process.arguments = Self.arguments(directory: directory.path, seconds: 4)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = Task.detached { pipe.fileHandleForReading.readDataToEndOfFile() }
        // The journal gets its first sample as the load starts, then one a second.
        let journal = directory.file("soak-samples.jsonl")
        let deadline = Date().addingTimeInterval(60)
        while (try? String(contentsOfFile: journal, encoding: .utf8))?.split(separator: "\n").count ?? 0 < 2, process.isRunning, Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        guard process.isRunning else {
            Issue.record("the bench ended before its soak: \(String(decoding: await output.value, as: UTF8.self))")
            return
        }
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory.file("federation/federation.json"))))
        let server = try #require(((document as? [String: Any])?["provinces"] as? [[String: Any]])?.first)
        #expect(server["code"] as? String == "11")
        let pid = try #require(server["pid"] as? Int)
        #expect(kill(Int32(pid), SIGKILL) == 0)
        let text = String(decoding: await output.value, as: UTF8.self)  // the pipe closes as the bench exits
        process.waitUntilExit()
        #expect(process.terminationStatus == 2, "\(text)")
        let soak = try #require(Self.objects(text)["soak"], "no soak object in \(text)")
        #expect((soak["errors"] as? Int ?? 0) > 0 && soak["passed"] as? Bool == false)
        #expect(soak["server"] == nil, "the dead daemon has figures: \(soak["server"] ?? "")")
        let failed = (soak["checks"] as? [[String: Any]] ?? []).filter { $0["met"] as? Bool == false }.compactMap { $0["name"] as? String }
        #expect(failed.contains { $0.hasPrefix("errors") } && failed.contains { $0.hasPrefix("server RSS growth") }, "\(failed)")
    }
}
