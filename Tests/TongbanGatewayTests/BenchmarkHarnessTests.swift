import Foundation
import Testing
import TongbanTestKit

/// `tongban-bench` end to end on a tiny store: it brings up its own federation, every scenario gets answers
/// that pass its checks (signed, verified, records found), and `--json` carries the fields the docs promise.
/// Figures are not asserted here — speed is measured by `make bench`, not by tests.
@Suite struct BenchmarkHarnessTests {
    @Test func runsEveryScenarioWithoutErrorsAndReportsJSON() throws {
        let directory = try TemporaryDirectory("bench")
        defer { directory.remove() }
        // The server pinned to every CPU, through the list syntax a larger machine uses to measure scaling.
        let cpus = sysconf(Int32(_SC_NPROCESSORS_CONF))
        let run = try Spawn.capture(BuiltProducts.bench, [
            "--dir", directory.path, "--records", "300", "--scales", "100", "--duration", "0.3", "--connections", "4",
            "--batch-size", "50", "--rate", "50", "--idle-connections", "20", "--server-cpu", "0-\(cpus - 1)", "--nginx", "none",
            "--crypto-seconds", "0.2", "--postgres-records", "200", "--json"])
        #expect(run.status == 0, "\(run.output)")
        let objects = run.output.split(separator: "\n").filter { $0.hasPrefix("{") }.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let scenarios = Dictionary(objects.compactMap { object in (object["scenario"] as? String).map { ($0, object) } }, uniquingKeysWith: { _, last in last })
        for name in ["query-1", "query-50", "query-10", "verify", "catalogue-200", "catalogue-304", "query-1@50/s", "identity-raw", "query-1-verified", "query-1-postgresql"] {
            let scenario = try #require(scenarios[name], "no \(name) in \(run.output)")
            #expect((scenario["requests"] as? Int ?? 0) > 0, "\(name) answered nothing")
            #expect(scenario["errors"] as? Int == 0, "\(name): \(scenario["first_error"] ?? "")")
            for key in ["seconds", "rps", "p50_ms", "p99_ms", "server_rss_mib", "server_anonymous_rss_mib"] { #expect(scenario[key] is Double, "\(name) lacks \(key)") }
        }
        // The wire generator's signed scenarios: every request signed before the timed phase, each id once (a second
        // use would be refused as a replay and counted as an error), the pool never ran out, the generator's core measured.
        for name in ["query-1", "query-50", "verify", "catalogue-304", "query-1@50/s"] {
            let scenario = try #require(scenarios[name])
            #expect((scenario["presigned_requests"] as? Int ?? 0) >= (scenario["requests"] as? Int ?? .max), "\(name): \(scenario)")
            #expect(scenario["pool_exhausted"] == nil, "\(name) ran out of pre-signed requests")
            #expect(scenario["client_core_percent"] is Double, "\(name) lacks the generator's core share")
        }
        // The PostgreSQL store's costs: the database's own CPU beside the gateway's, and the audit commits of both stores.
        let postgres = try #require(scenarios["query-1-postgresql"])
        #expect(postgres["database_cpu_us_per_request"] is Double && postgres["audit_commit_ms"] is Double, "\(postgres)")
        #expect(scenarios["query-1"]?["audit_commit_ms"] is Double)
        // The smaller store is measured first, then the full one.
        #expect(objects.filter { $0["scenario"] as? String == "query-1" }.compactMap { $0["store_records"] as? Int } == [100, 300])
        let batch = try #require(scenarios["query-50"])
        #expect((batch["raw_bytes"] as? Double ?? 0) > (batch["wire_bytes"] as? Double ?? 0), "the batch answer was not compressed")
        // Exchanges while the store's records are imported again: all answered, and the import finished.
        let importing = try #require(scenarios["query-1@50/s+import-300"], "no import scenario in \(run.output)")
        #expect((importing["requests"] as? Int ?? 0) > 0 && importing["errors"] as? Int == 0, "\(importing["first_error"] ?? "")")
        #expect((importing["import_seconds"] as? Double ?? 0) > 0, "the import did not finish")
        // The framework references serve the same bodies with nothing else; the batch body goes out gzip'd.
        for name in ["nio-raw-1", "nio-raw-50", "hummingbird-raw-1", "hummingbird-raw-50"] {
            let scenario = try #require(scenarios[name], "no \(name) in \(run.output)")
            #expect((scenario["requests"] as? Int ?? 0) > 0 && scenario["errors"] as? Int == 0, "\(name): \(scenario["first_error"] ?? "")")
            #expect(scenario["server_cpu_us_per_request"] is Double, "\(name) lacks the server's CPU")
        }
        for name in ["nio-raw-50", "hummingbird-raw-50"] {
            let wire = try #require(scenarios[name]?["wire_bytes"] as? Double)
            #expect(wire > 0 && wire < (batch["raw_bytes"] as? Double ?? 0) / 2, "\(name) sent \(wire) bytes for the batch body")
        }
        // catalogue-304's signature work on NIO alone: the bench's peer client verified every signed 304 it answered.
        let signed = try #require(scenarios["nio-signed-304"], "no nio-signed-304 in \(run.output)")
        #expect((signed["requests"] as? Int ?? 0) > 0 && signed["errors"] as? Int == 0, "nio-signed-304: \(signed["first_error"] ?? "")")
        #expect(signed["server_cpu_us_per_request"] is Double, "nio-signed-304 lacks the server's CPU")
        let single = try #require(scenarios["nio-raw-1"]?["wire_bytes"] as? Double)
        #expect(single > 100 && single < 1024, "the single-record body (under 1 KiB, sent as it is) was \(single) bytes")
        let summary = try #require(scenarios["summary"])
        let layers = try #require(summary["layer_server_cpu_us"] as? [String: Double])
        #expect(Set(layers.keys) == ["nio-raw-1", "hummingbird-raw-1", "identity-raw", "nio-signed-304", "catalogue-304", "query-1"], "\(layers)")
        #expect((summary["verify_per_second"] as? Double ?? 0) > 0)
        #expect(summary["server_cpus"] as? Int == cpus)
        #expect(scenarios["query-1"]?["server_cpu_steal_percent"] is Double, "no steal figure read for the server's CPUs")
        #expect((summary["idle_connections_rss_mib"] as? Double ?? 0) > 0)
        #expect((summary["final_anonymous_rss_mib"] as? Double ?? 0) > 0)
    }

    /// `--compare B`: query-1 alternately on two builds (here the same one twice) on one seeded store, the daemon
    /// restarted before each run, three runs of each, every run answered without errors, and a verdict printed.
    @Test func comparesTwoBuildsInAlternateRuns() throws {
        let directory = try TemporaryDirectory("bench-compare")
        defer { directory.remove() }
        let run = try Spawn.capture(BuiltProducts.bench, [
            "--dir", directory.path, "--records", "200", "--scales", "", "--duration", "0.3", "--connections", "4",
            "--server-cpu=-1", "--nginx", "none", "--compare", BuiltProducts.tongband, "--compare-rounds", "3"])
        #expect(run.status == 0, "\(run.output)")
        let rows = run.output.split(separator: "\n").filter { $0.hasPrefix("| query-1[") }
        #expect(rows.map { $0.split(separator: "|")[0].trimmingCharacters(in: .whitespaces) }
                == ["query-1[A1]", "query-1[B1]", "query-1[B2]", "query-1[A2]", "query-1[A3]", "query-1[B3]"], "\(run.output)")
        #expect(rows.allSatisfy { $0.hasSuffix("| 0 |") }, "a run had errors: \(run.output)")
        #expect(run.output.contains("B against A:"), "\(run.output)")
        // Anything but an executable is refused before a federation starts.
        let refused = try Spawn.capture(BuiltProducts.bench, ["--compare", directory.path + "/none", "--nginx", "none"])
        #expect(refused.status != 0 && refused.output.contains("not an executable file"), "\(refused.output)")
    }

    /// `--server-cpu` takes taskset's lists; anything else is refused before anything starts, naming the bad part.
    @Test(arguments: [("0-x", "'0-x' is not a CPU"), ("3-1", "'3-1' is not a CPU"), ("0,,1", "'' is not a CPU"), ("0-1-2", "'0-1-2' is not a CPU"),
                      ("-2", "'-2' is not a CPU"), ("9999", "CPU 9999 does not exist")])
    func refusesServerCPUsThatAreNotAList(_ value: String, _ message: String) throws {
        let run = try Spawn.capture(BuiltProducts.bench, ["--server-cpu=\(value)", "--nginx", "none"])
        #expect(run.status != 0)
        #expect(run.output.contains(message), "\(run.output)")
    }
}
