import Foundation
import TongbanClient
import TongbanCore
import TongbanDemo

/// `--soak SECONDS` (`make soak`): the answering gateway under a steady load for a long time, watched for leaks.
///
/// Brings up the benchmark's federation and store, measures `query-1`'s closed-loop rate (`--duration` seconds after
/// a warm-up of half that), then sends single-record queries on a fixed schedule at `--soak-load` percent of it over
/// `--connections` connections — each a new request id, signed and its answer verified — for SECONDS, sampling both
/// daemons' RSS and descriptors every `--soak-interval` seconds. The verdict is `SoakResult`'s; exit status 2 when it fails.
extension TongbanBench {
    /// How long after the schedule's end requests are still sent: a minute behind is a load not held.
    static let soakGrace = Duration.seconds(60)

    func soak(seconds: Double) async throws -> Bool {
        raiseDescriptorLimit()
        let root = URL(fileURLWithPath: dir).standardized.path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let launcher = serverCPUs.map { ["/usr/bin/taskset", "-c", $0.text] } ?? []
        let daemon = tongband ?? DaemonProcess.executableDirectory + "/tongband"
        let pinning = serverCPUs.map { $0.cpus.count == 1 ? ", CPU \($0.text)" : ", CPUs \($0.text)" } ?? ""
        progress("federation: 北京 (11, server\(pinning)) and 上海 (31, client) in \(root)/federation")
        let federation = try await BenchFederation.up(directory: root + "/federation", tongband: daemon, serverLauncher: launcher)
        let capacity: ScenarioResult, result: SoakResult
        do {
            (capacity, result) = try await soak(federation, seconds: seconds, root: root)
        } catch {
            await federation.down()
            throw error
        }
        await federation.down()
        let encoded = try [String(decoding: try ScenarioResult.encoder().encode(capacity), as: UTF8.self),
                           String(decoding: try ScenarioResult.encoder().encode(result), as: UTF8.self)]
        try (encoded.joined(separator: "\n") + "\n").write(toFile: root + "/soak-results.jsonl", atomically: true, encoding: .utf8)
        if json {
            encoded.forEach { print($0) }
        } else {
            SoakReport.print(result)
            print("\nresults: \(root)/soak-results.jsonl")
        }
        return result.passed
    }

    private func soak(_ federation: BenchFederation, seconds: Double, root: String) async throws -> (ScenarioResult, SoakResult) {
        progress("seeding \(records) household records")
        let subjects = try await federation.seedHouseholds(records)
        let settled = try await federation.settle()
        progress("the seeding reached the disk in \(String(format: "%.1f", settled)) s")
        let client = try await federation.peerClient(connections: connections)
        let load = try Workload(client: client, peer: federation.peer, subjects: subjects, batchSize: min(batchSize, records))
        _ = try await load.check()

        progress("capacity: query-1 closed loop, \(duration / 2) s of warm-up then \(duration) s measured")
        _ = await LoadGenerator.closedLoop(workers: connections, duration: .milliseconds(Int64(duration * 500))) { try await load.query($0) }
        let capacity = await measure("query-1", size: records, workers: connections, server: federation.serverPID) {
            await LoadGenerator.closedLoop(workers: connections, duration: self.seconds) { try await load.query($0) }
        }
        guard capacity.errors == 0, capacity.rps >= 1 else {
            throw BenchError("the capacity measurement failed (\(capacity.errors) errors, \(capacity.rps)/s): \(capacity.firstError ?? "")")
        }
        let target = max(1, Int((capacity.rps * soakLoad / 100).rounded()))
        // The daemon fills its table of request ids (ReplayCache) for one replay window, and its list of arrivals,
        // compacted only when the expired half outweighs the live one, for two: growth then is by design.
        let settings = try await federation.federation.manifest().manifest.protocol
        let replayWindow = settings.signatureWindowSeconds + settings.clockSkewSeconds
        let warmup = soakWarmup ?? Double(2 * replayWindow + 30)
        guard warmup < seconds else {
            throw BenchError("--soak \(seconds) must be longer than the warm-up, \(warmup) s "
                             + "(twice the replay window and 30 s; --soak-warmup sets it)")
        }
        let journal = root + "/soak-samples.jsonl"
        FileManager.default.createFile(atPath: journal, contents: nil)
        progress("soak: \(target) queries/s (\(soakLoad) % of \(Int(capacity.rps))/s) for \(seconds) s, open loop; baseline at \(warmup) s; "
                 + "a sample every \(soakInterval) s, also in \(journal)")

        let tally = SoakTally()
        let clock = ContinuousClock()
        let start = clock.now
        let pids = (server: federation.serverPID, client: federation.clientProvince.pid)
        @Sendable func sample(after previous: SoakSample?) -> SoakSample {
            let window = tally.takeWindow()
            let now = LoadGenerator.seconds(clock.now - start)
            let elapsed = now - (previous?.seconds ?? 0)
            let cpu = ProcessSample.read(pid: pids.server)?.cpuSeconds
            var perRequest: Double?
            if let cpu, let before = previous?.serverCpuSeconds, window.requests > 0 {
                perRequest = (cpu - before) / Double(window.requests) * 1e6
            }
            let sample = SoakSample(seconds: now, requests: window.requests, errors: window.errors,
                                    rps: elapsed > 0 ? Double(window.requests) / elapsed : 0, p99Ms: window.percentileMilliseconds(99),
                                    server: .read(pid: pids.server), client: .read(pid: pids.client),
                                    generatorRssMib: ProcessSample.read(pid: getpid())?.rssMiB,
                                    serverCpuSeconds: cpu, serverCpuUsPerRequest: perRequest)
            if let line = try? ScenarioResult.encoder().encode(sample), let handle = FileHandle(forWritingAtPath: journal) {
                handle.seekToEndOfFile()
                handle.write(line + Data("\n".utf8))
                try? handle.close()
            }
            let server = sample.server.map { "server RSS \(Report.format($0.rssMib, 1)) MiB (own \(Report.format($0.anonymousRssMib, 1))), "
                + "\($0.descriptors) fds (\($0.connections) connections)" } ?? "server not read"
            let cost = perRequest.map { ", server \(Report.format($0, 0)) µs CPU/answer" } ?? ""
            progress("  \(Int(now)) s: \(Report.format(sample.rps, 0))/s, \(sample.errors) errors, p99 \(Report.format(sample.p99Ms, 2)) ms\(cost), "
                     + server)
            return sample
        }
        let sampler = Task {
            var samples = [sample(after: nil)]
            while !Task.isCancelled {
                do { try await clock.sleep(until: start + .milliseconds(Int64(soakInterval * 1000) * Int64(samples.count))) } catch { break }
                samples.append(sample(after: samples.last))
            }
            return samples
        }
        let cpu0 = CPUTimes.read(cpus: serverCPUs?.cpus), server0 = ProcessSample.read(pid: pids.server)
        let (scheduled, sent) = await LoadGenerator.openLoop(target, duration: .milliseconds(Int64(seconds * 1000)), grace: Self.soakGrace,
                                                             workers: connections, tally: tally) {
            try await load.query($0)
        }
        let elapsed = LoadGenerator.seconds(clock.now - start)  // to the last answer
        let cpu1 = CPUTimes.read(cpus: serverCPUs?.cpus), server1 = ProcessSample.read(pid: pids.server)
        sampler.cancel()
        var samples = await sampler.value
        samples.append(sample(after: samples.last))  // the end: every request answered, the connections still open
        try await client.shutdown()

        var total = tally.total
        total.seconds = elapsed
        var result = SoakResult(capacity: capacity, loadPercent: soakLoad, targetRps: target, seconds: seconds, warmup: warmup,
                                replayWindow: replayWindow, interval: soakInterval, scheduled: scheduled, sent: sent, load: total, lag: tally.lag,
                                samples: samples)
        if let cpu0, let cpu1 { result.serverCpuStealPercent = cpu1.stealPercent(since: cpu0) }
        if let server0, let server1, total.requests > 0 {
            result.serverCpuUsPerRequest = (server1.cpuSeconds - server0.cpuSeconds) / Double(total.requests) * 1e6
        }
        return (capacity, result)
    }
}
