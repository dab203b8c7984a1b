import ArgumentParser
import AsyncHTTPClient
import Foundation
import Synchronization
import NIOCore
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanDemo
import TongbanPKI

/// `tongban-bench`: brings up a two-province federation on loopback (the server pinned to one core unless told
/// otherwise), seeds the server's store, drives it over mutual TLS with signed requests and verified answers,
/// measures nginx and P-256 in the same run, and prints one table (or one JSON object per scenario).
@main
struct TongbanBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tongban-bench",
        abstract: "Benchmark a Tongban gateway against nginx and the cryptographic bound (see docs/performance.md).")

    @Option(name: .long, help: "Working directory (federation, nginx, results).") var dir = ".build/bench"
    @Option(name: .long, help: "Household records in the server's store for the main scenarios.") var records = 1_000_000
    @Option(name: .long, help: "Smaller store sizes first measured with single-record queries (comma-separated; empty for none).")
    var scales = "10000,100000"
    @Option(name: .long, help: "Seconds per scenario.") var duration = 10.0
    @Option(name: .long, help: "Concurrent keep-alive connections for the closed-loop scenarios.") var connections = 32
    @Option(name: .long, help: "Most signed requests per second of a closed-loop scenario the generator signs before its timed phase (twice the pilot's rate, at most this).")
    var presignRate = 12_000
    @Option(name: .long, help: "Connections for the 1,000-subject batch scenario.") var batchConnections = 4
    @Option(name: .long, help: "Subjects per batch query.") var batchSize = 1000
    @Option(name: .long, help: "Further batch sizes measured at the full store, for how cost grows with the batch (comma-separated; empty for none).")
    var batchSweep = "10,100"
    @Option(name: .long, help: "Requests per second of the fixed-rate scenario.") var rate = 3000
    @Option(name: .long, help: "Further fixed rates of single-record queries at the full store, below half the closed-loop rate: how latency and CPU per exchange grow with load (comma-separated; empty for none).")
    var rateSweep = "300,600,900"
    @Option(name: .long, help: "Records imported again during the import scenario (0 for none).") var importRecords = 100_000
    @Option(name: .long, help: "Idle mutual-TLS connections held open for the memory measurement.") var idleConnections = 1000
    @Option(name: .long, help: "CPUs the server and nginx are pinned to, as taskset lists them (0, 0-3, 0,2); -1 for no pinning. Per-core targets are judged per CPU listed.")
    var serverCPU = "0"
    @Option(name: .long, help: "The tongband executable (default: beside tongban-bench).") var tongband: String?
    @Option(name: .long, help: "The nginx executable (default: found in /usr/sbin); 'none' to skip the reference.") var nginx: String?
    @Flag(name: .long, help: "One JSON object per scenario (snake_case keys), then one summary object.") var json = false
    @Option(name: .long, help: "Seconds for each of the in-process sign and verify measurements.") var cryptoSeconds = 2.0
    @Option(name: .long, help: "Records of the second federation, whose provinces sign with SM2 (query-1-sm2); 0 for none.") var sm2Records = 10_000
    @Option(name: .long, help: "Seconds of the disk's fdatasync measurement (small overwrites, one at a time).") var diskSeconds = 5.0
    @Option(name: .long, help: "Records of the PostgreSQL federation (query-1-postgresql: the server on store.kind postgresql); 0 skips it.")
    var postgresRecords = 100_000
    @Option(name: .long, help: "Run only these scenarios (comma-separated names as in the report, e.g. query-1,verify; query-1* for every name that begins so); for profiling.")
    var only: String?
    @Option(name: .long, help: "Soak instead of the benchmark (make soak; docs/security.md, \"Soak\"): measure query-1 closed loop for --duration seconds, then send single-record queries open loop at --soak-load percent of that rate for this many seconds, sampling the daemons' RSS and descriptors; exit status 2 when errors, RSS growth over 10 % or descriptor growth.")
    var soak: Double?
    @Option(name: .long, help: "The soak's rate, in percent of the measured closed-loop rate.") var soakLoad = 80.0
    @Option(name: .long, help: "Seconds of the soak before the baseline sample (default: twice the replay window, signature window plus clock skew, and 30 s).")
    var soakWarmup: Double?
    @Option(name: .long, help: "Seconds between the soak's samples.") var soakInterval = 30.0
    @Option(name: .long, help: "Compare two builds instead of the benchmark: query-1 at --records, alternately on the server built as --tongband (A) and this tongband (B), on one seeded store, --compare-rounds runs each; prints each run and each build's mean and spread.")
    var compare: String?
    @Option(name: .long, help: "Runs of each build when comparing (at least 3).") var compareRounds = 3
    @Option(name: .long, help: .hidden) var serveReference: String?

    func validate() throws {
        do { _ = try CPUList.parse(serverCPU) } catch { throw ValidationError(error.description) }
        if let soak, !(soak > 0) { throw ValidationError("--soak \(soak): the soak needs a positive number of seconds") }
        guard soakLoad > 0, soakLoad <= 100 else { throw ValidationError("--soak-load \(soakLoad): a percentage above 0 and at most 100") }
        guard compareRounds >= 3 else { throw ValidationError("--compare-rounds \(compareRounds): at least 3 runs of each build") }
        if let compare, !FileManager.default.isExecutableFile(atPath: compare) { throw ValidationError("--compare \(compare): not an executable file") }
        guard soakInterval > 0 else { throw ValidationError("--soak-interval \(soakInterval): a positive number of seconds") }
        if let soakWarmup, soakWarmup < 0 { throw ValidationError("--soak-warmup \(soakWarmup): not negative") }
    }

    /// The CPUs of `--server-cpu` (checked by `validate()`), nil for no pinning.
    var serverCPUs: CPUList? { (try? CPUList.parse(serverCPU)) ?? nil }

    func run() async throws {
        // As in tongband (`taskset -c 1` under `make bench`): otherwise two event loops and dispatch's threads share
        // the generator's one CPU, adding their scheduling delays to every latency measured.
        EventLoopPlacement.oneLoopPerAllowedCPU()
        if let serveReference {  // the child process of a FrameworkReference
            guard let kind = FrameworkReference.Kind(rawValue: serveReference) else { throw ValidationError("no reference server \(serveReference)") }
            try await ReferenceServer.serve(kind: kind, directory: dir)
            return
        }
        var passed = true
        do {
            if let soak { passed = try await self.soak(seconds: soak) } else { try await benchmark() }
        } catch {
            FileHandle.standardError.write(Data("tongban-bench: \(error)\n".utf8))
            throw ExitCode.failure
        }
        // 1 when the run could not be made, 2 when a soak ran and failed its checks.
        if !passed { throw ExitCode(2) }
    }

    func benchmark() async throws {
        raiseDescriptorLimit()
        let root = URL(fileURLWithPath: dir).standardized.path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let launcher = serverCPUs.map { ["/usr/bin/taskset", "-c", $0.text] } ?? []
        let daemon = tongband ?? DaemonProcess.executableDirectory + "/tongband"
        let nginxPath = nginx == "none" ? nil : (nginx ?? NginxReference.find())
        if nginx != "none", nginxPath == nil { throw BenchError("nginx not found: install Debian's nginx-light ('make bench' does), or pass --nginx none") }

        let pinning = serverCPUs.map { $0.cpus.count == 1 ? ", CPU \($0.text)" : ", CPUs \($0.text)" } ?? ""
        progress("federation: 北京 (11, server\(pinning)) and 上海 (31, client) in \(root)/federation")
        var federation = try await BenchFederation.up(directory: root + "/federation", tongband: daemon, serverLauncher: launcher)
        var nginxReference: NginxReference?
        var frameworkReference: FrameworkReference?
        defer { Task { [federation] in await federation.down() } }
        do {
            let idle = ProcessSample.read(pid: federation.serverPID)
            // Memory per connection on the daemon as started (before the large import, whose leftovers are
            // reported separately as the RSS after the run).
            progress("\(idleConnections) idle mutual-TLS connections")
            let before = ProcessSample.read(pid: federation.serverPID)
            let idleSet = try await IdleConnections.open(count: idleConnections, host: "127.0.0.1", port: URL(string: federation.serverProvince.peerURL)!.port!,
                                                         credentials: try federation.clientCredentials)
            try await Task.sleep(for: .seconds(1))
            let held = ProcessSample.read(pid: federation.serverPID)
            await idleSet.close()
            let client = try await federation.peerClient(connections: max(connections, batchConnections))
            let sizes = (scales.split(separator: ",").compactMap { Int($0) }.filter { $0 < records }) + [records]
            var results: [ScenarioResult] = []
            var workload: Workload!
            var subjects: [String] = []

            for size in sizes {
                progress("seeding \(size) household records")
                subjects = try await federation.seedHouseholds(size)
                let settled = try await federation.settle()
                progress("the seeding reached the disk in \(String(format: "%.1f", settled)) s")
                workload = try Workload(client: client, peer: federation.peer, subjects: subjects, batchSize: min(batchSize, size))
                _ = try await workload.check()
                if size != records {
                    results.append(try await wire("query-1", size: size, workers: connections, federation: federation, load: workload, ask: .query))
                }
            }
            let checked = try await workload.check()
            let load = workload!
            if let compare {
                try await self.compare(a: daemon, b: compare, federation: &federation, load: load, launcher: launcher)
                try await client.shutdown()
                await federation.down()
                return
            }
            progress("scenarios at \(records) records, \(duration) s each")
            let store0 = await StoreSample.read(cluster: nil, localURL: federation.serverProvince.localURL)
            var headline = try await wire("query-1", size: records, workers: connections, federation: federation, load: load, ask: .query)
            headline.auditCommitMs = await StoreSample.read(cluster: nil, localURL: federation.serverProvince.localURL)
                .since(store0, requests: headline.requests).auditCommitMs
            results.append(headline)
            // The bound's signatures, measured next to the headline it is compared with: this machine's speed moves by up
            // to a third within minutes, and measured at the end of the run they were several minutes apart.
            progress("P-256 sign and verify rates in process")
            let crypto = CryptoReference.measure(seconds: cryptoSeconds)
            progress("SM2 sign and verify rates in process, and openssl speed sm2")
            let sm2 = try CryptoReference.measureSM2(seconds: cryptoSeconds)
            let opensslSM2 = CryptoReference.opensslSM2(seconds: Int(cryptoSeconds.rounded(.up)), directory: root)
            // nginx, the bound's third term, in the same minute too (issue 29: the bound and the ratio from one minute).
            var referenceResults: [ScenarioResult] = []
            if let nginxPath {
                progress("nginx reference: same bodies, TLS 1.3, client certificates, gzip")
                let reference = try await NginxReference.start(
                    executable: nginxPath, directory: root + "/nginx", bodies: ["query.json": checked.singleBody, "batch.json": checked.batchBody],
                    certificate: federation.serverProvince.tlsCertificate, key: federation.serverProvince.tlsKey,
                    root: federation.serverProvince.rootCA, launcher: launcher)
                nginxReference = reference
                referenceResults += try await measureReference("nginx", port: reference.port, server: reference.workerPID ?? reference.pid,
                                                               batchSize: load.batchSize, records: records, federation: federation)
                await reference.stop()
                nginxReference = nil
            }

            results.append(try await wire("query-\(load.batchSize)", size: records, workers: batchConnections, federation: federation, load: load,
                                          ask: .batch, itemsPerAnswer: load.batchSize, countsRecords: true))
            for size in batchSweep.split(separator: ",").compactMap({ Int($0) }) where size > 1 && size != load.batchSize && size <= records {
                let sweep = try Workload(client: client, peer: federation.peer, subjects: subjects, batchSize: size)
                results.append(try await wire("query-\(size)", size: records, workers: batchConnections, federation: federation, load: sweep,
                                              ask: .batch, itemsPerAnswer: size, countsRecords: true))
            }
            results.append(try await wire("verify", size: records, workers: connections, federation: federation, load: load, ask: .verify))
            results.append(try await wire("catalogue-200", size: records, workers: connections, federation: federation, load: load,
                                          ask: .catalogue(ifNoneMatch: nil)))
            results.append(try await wire("catalogue-304", size: records, workers: connections, federation: federation, load: load,
                                          ask: .catalogue(ifNoneMatch: checked.catalogueVersion)))
            // The correctness scenario: the peer client a gateway calls with, signing every request and verifying every
            // answer in full (the wire generator verifies one in 64) — slower, since the generator then does a
            // gateway's outbound work on its one core.
            results.append(await measure("query-1-verified", size: records, workers: connections, server: federation.serverPID) {
                await LoadGenerator.closedLoop(workers: connections, duration: seconds) { try await load.query($0) }
            })
            // Fixed rates: `rate`; half of what query-1 reached closed-loop (latency at a load the server sustains);
            // then the sweep's lower rates (how latency and CPU per exchange change with the offered load).
            let closedLoopRate = results.first { $0.scenario == "query-1" && $0.storeRecords == records }?.rps ?? 0
            let sustained = max(100, Int(closedLoopRate / 200) * 100)
            let sweep = rateSweep.split(separator: ",").compactMap { Int($0) }
                .filter { $0 > 0 && $0 < rate && $0 != sustained && (closedLoopRate == 0 || $0 < sustained) }
            for fixedRate in [rate] + (sustained < rate ? [sustained] : []) + sweep {
                results.append(try await wire("query-1@\(fixedRate)/s", size: records, workers: connections, federation: federation, load: load,
                                              ask: .query, rate: fixedRate))
            }
            // The same load while an import runs: the first `importRecords` records imported again (the store's
            // content does not change), starting a tenth into the run. The import is one write transaction on the
            // records' database; exchanges must neither wait for it nor see half of it.
            let reimport = min(importRecords, records)
            let importRate = min(sustained, rate)
            let importScenario = "query-1@\(importRate)/s+import-\(reimport)"
            if reimport > 0 && selected(importScenario) {
                let csv = BenchFederation.households(reimport).csv
                let outcome = Mutex<Result<Double, any Error>?>(nil)
                var result = try await wire(importScenario, size: records, workers: connections, federation: federation, load: load,
                                            ask: .query, rate: importRate) { [duration, federation] in
                    try? await Task.sleep(for: .seconds(duration / 10))
                    let start = ContinuousClock.now
                    do {
                        try await federation.importHouseholds(csv)
                        outcome.withLock { $0 = .success(LoadGenerator.seconds(ContinuousClock.now - start)) }
                    } catch {
                        outcome.withLock { $0 = .failure(error) }
                    }
                }
                switch outcome.withLock({ $0 }) {
                case .success(let elapsed)?:
                    result.importSeconds = elapsed
                    progress("    the import of \(reimport) records took \(String(format: "%.1f", elapsed)) s"
                             + (elapsed + duration / 10 > duration ? " — longer than the scenario; raise --duration to see all of it" : ""))
                case .failure(let error)?: progress("    the import failed: \(error)")
                case nil: break
                }
                results.append(result)
            }

            // The floor under every exchange: TLS, HTTP and a signed response, with no request signature to check
            // (GET /v1/identity is exempt) and nothing to look up — what the framework and signing alone cost.
            results.append(try await wireRaw("identity-raw", size: records, workers: connections,
                                             port: URL(string: federation.serverProvince.peerURL)!.port!, path: "/v1/identity",
                                             server: federation.serverPID, credentials: try federation.clientCredentials))

            // catalogue-304's signature work alone on a plain NIO pipeline, asked by the same peer client (which knows
            // the server's key from the gateway's /v1/identity): what is left of catalogue-304 without Hummingbird, its
            // middleware chain and a task per request.
            if selected("nio-signed-304"), let serverCertificate = federation.serverProvince.signingCertificate,
               let callerCertificate = federation.clientProvince.signingCertificate {
                progress("nio-signed reference: catalogue-304's signature checks and signed answer, on NIO alone")
                let reference = try await FrameworkReference.start(
                    kind: .nioSigned, directory: root + "/nio-signed", bodies: [:], certificate: federation.serverProvince.tlsCertificate,
                    key: federation.serverProvince.tlsKey, root: federation.serverProvince.rootCA,
                    signing: .init(key: federation.serverProvince.signingKey, certificate: serverCertificate,
                                   callerCertificate: callerCertificate, etag: "\"\(checked.catalogueVersion)\""),
                    launcher: launcher)
                frameworkReference = reference
                var signedLoad = load
                signedLoad.peer.url = "https://127.0.0.1:\(reference.port)"
                referenceResults.append(try await wire("nio-signed-304", size: records, workers: connections, federation: federation, load: signedLoad,
                                                       ask: .catalogue(ifNoneMatch: checked.catalogueVersion), port: reference.port,
                                                       server: reference.pid))
                await reference.stop()
                frameworkReference = nil
            }

            try await client.shutdown()

            // Single-record exchanges with SM2 on both sides (the client signs requests and verifies answers with SM2;
            // the server verifies and signs with SM2), from a second federation of `sm2Records` records; query-1 at the
            // same size (`--scales`) is the P-256 figure beside it.
            if sm2Records > 0 && selected("query-1-sm2") {
                progress("SM2 federation: both provinces sign with sm2-sm3, \(sm2Records) records")
                let sm2Federation = try await BenchFederation.up(directory: root + "/federation-sm2", tongband: daemon, serverLauncher: launcher,
                                                                 signing: .sm2)
                do {
                    let sm2Subjects = try await sm2Federation.seedHouseholds(sm2Records)
                    _ = try await sm2Federation.settle()
                    let sm2Client = try await sm2Federation.peerClient(connections: connections)
                    let sm2Load = try Workload(client: sm2Client, peer: sm2Federation.peer, subjects: sm2Subjects, batchSize: min(batchSize, sm2Records))
                    _ = try await sm2Load.check()
                    results.append(try await wire("query-1-sm2", size: sm2Records, workers: connections, federation: sm2Federation,
                                                  load: sm2Load, ask: .query))
                    try await sm2Client.shutdown()
                } catch {
                    await sm2Federation.down()
                    throw error
                }
                await sm2Federation.down()
            }

            // The same single-record exchange with the server on the PostgreSQL store (issue 30): a private cluster pinned
            // with the gateway, so "per core" counts both; the audit commit is the gateway's own measure of it.
            if postgresRecords > 0 && selected("query-1-postgresql") {
                progress("PostgreSQL federation: the server on store.kind postgresql, its cluster pinned with it, \(postgresRecords) records")
                let pgFederation = try await BenchFederation.up(directory: root + "/federation-postgresql", tongband: daemon, serverLauncher: launcher,
                                                                store: .postgresql)
                do {
                    let cluster = pgFederation.document.postgres
                    if let cluster, let cpus = serverCPUs?.text { StoreSample.pin(cluster, cpus: cpus) }
                    let pgSubjects = try await pgFederation.seedHouseholds(postgresRecords)
                    let pgClient = try await pgFederation.peerClient(connections: connections)
                    let pgLoad = try Workload(client: pgClient, peer: pgFederation.peer, subjects: pgSubjects, batchSize: min(batchSize, postgresRecords))
                    _ = try await pgLoad.check()
                    let before = await StoreSample.read(cluster: cluster, localURL: pgFederation.serverProvince.localURL)
                    var result = try await wire("query-1-postgresql", size: postgresRecords, workers: connections, federation: pgFederation,
                                                load: pgLoad, ask: .query)
                    let costs = await StoreSample.read(cluster: cluster, localURL: pgFederation.serverProvince.localURL).since(before, requests: result.requests)
                    (result.auditCommitMs, result.databaseCpuUsPerRequest) = costs
                    results.append(result)
                    try await pgClient.shutdown()
                } catch {
                    await pgFederation.down()
                    throw error
                }
                await pgFederation.down()
            }

            progress("fdatasync latency of a small overwrite on the store's disk")
            let disk = try DiskReference.measure(directory: root, seconds: diskSeconds)

            // The framework alone, pinned and asked the same way: where nginx ends and Tongban's own work begins.
            for kind in FrameworkReference.Kind.raw {
                let names = ["\(kind.rawValue)-raw-1", "\(kind.rawValue)-raw-\(load.batchSize)"]
                guard names.contains(where: selected) else { continue }
                progress("\(kind.rawValue) reference: same bodies and TLS, the framework alone")
                let reference = try await FrameworkReference.start(
                    kind: kind, directory: root + "/" + kind.rawValue, bodies: ["query.json": checked.singleBody, "batch.json": checked.batchBody],
                    certificate: federation.serverProvince.tlsCertificate, key: federation.serverProvince.tlsKey,
                    root: federation.serverProvince.rootCA, launcher: launcher)
                frameworkReference = reference
                referenceResults += try await measureReference(kind.rawValue, port: reference.port, server: reference.pid,
                                                               batchSize: load.batchSize, records: records, federation: federation)
                await reference.stop()
                frameworkReference = nil
            }

            results = results.filter { selected($0.scenario) }
            referenceResults = referenceResults.filter { selected($0.scenario) }
            var summary = Summary(results: results, references: referenceResults, crypto: crypto, sm2: sm2, opensslSM2: opensslSM2, disk: disk, idle: idle, idleConnections: idleConnections,
                                  beforeIdleConnections: before, withIdleConnections: held, records: records, rate: rate,
                                  halfRate: sustained < rate ? sustained : nil, serverCPUs: serverCPUs?.cpus.count)
            let final = ProcessSample.read(pid: federation.serverPID)
            summary.finalRssMib = final?.rssMiB
            summary.finalAnonymousRssMib = final?.anonymousRSSMiB
            let all = results + referenceResults
            let encoded = try all.map { String(decoding: try ScenarioResult.encoder().encode($0), as: UTF8.self) }
            try (encoded.joined(separator: "\n") + "\n" + String(decoding: try ScenarioResult.encoder().encode(summary), as: UTF8.self) + "\n")
                .write(toFile: root + "/results.jsonl", atomically: true, encoding: .utf8)
            if json {
                encoded.forEach { print($0) }
                print(String(decoding: try ScenarioResult.encoder().encode(summary), as: UTF8.self))
            } else {
                Report.print(all, summary: summary)
                print("\nresults: \(root)/results.jsonl")
            }
        } catch {
            await nginxReference?.stop()
            await frameworkReference?.stop()
            await federation.down()
            throw error
        }
        await federation.down()
    }

    var seconds: Duration { .milliseconds(Int64(duration * 1000)) }

    /// Whether `--only` lets scenario `name` run (and be reported).
    func selected(_ name: String) -> Bool {
        only.map { list in
            list.split(separator: ",").contains { entry in entry.hasSuffix("*") ? name.hasPrefix(entry.dropLast()) : name == entry }
        } ?? true
    }

    /// A reference server's two scenarios, `NAME-raw-1` and `NAME-raw-BATCH`: the single-record and the batch body
    /// over the bench's raw mode, closed loop, with `server` the process whose CPU and memory are read.
    func measureReference(_ name: String, port: Int, server: Int32, batchSize: Int, records: Int,
                          federation: BenchFederation) async throws -> [ScenarioResult] {
        let credentials = try federation.clientCredentials
        let single = try await wireRaw("\(name)-raw-1", size: records, workers: connections, port: port, path: "/query.json",
                                       server: server, credentials: credentials)
        let batch = try await wireRaw("\(name)-raw-\(batchSize)", size: records, workers: batchConnections, port: port, path: "/batch.json",
                                      server: server, credentials: credentials)
        return [single, batch]
    }

    /// Samples the server and this process around one scenario.
    func measure(_ name: String, size: Int, workers: Int, server pid: Int32, countsRecords: Bool = false,
                 _ body: () async -> LoadResult) async -> ScenarioResult {
        guard selected(name) else {
            return ScenarioResult(scenario: name, connections: workers, storeRecords: size, load: LoadResult(), server: nil, client: nil)
        }
        progress("  \(name) (\(size) records, \(workers) connections)")
        ProcessSample.resetPeak(pid: pid)
        let server0 = ProcessSample.read(pid: pid), client0 = ProcessSample.read(pid: getpid()), cpu0 = CPUTimes.read(cpus: serverCPUs?.cpus)
        let load = await body()
        let server1 = ProcessSample.read(pid: pid), client1 = ProcessSample.read(pid: getpid()), cpu1 = CPUTimes.read(cpus: serverCPUs?.cpus)
        let result = ScenarioResult(scenario: name, connections: workers, storeRecords: size, load: load,
                                    server: server0.flatMap { a in server1.map { (a, $0) } },
                                    client: client0.flatMap { a in client1.map { (a, $0) } },
                                    serverCPU: cpu0.flatMap { a in cpu1.map { (a, $0) } }, countsRecords: countsRecords)
        if result.errors > 0 { progress("    \(result.errors) errors, first: \(result.firstError ?? "")") }
        return result
    }

    func progress(_ line: String) {
        FileHandle.standardError.write(Data("bench: \(line)\n".utf8))
    }

    /// 1,000 idle connections need more than the usual 1,024 descriptors, here and in the daemons started from here.
    func raiseDescriptorLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
