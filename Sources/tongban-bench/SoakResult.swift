import Foundation
import Histogram

/// A soak's figures and verdict; `--json` prints it as one object (`"scenario": "soak"`, snake_case keys).
///
/// The verdict compares the answering daemon at the end of the load with the **baseline**, its first sample at or
/// after the warm-up (by default twice the replay window, signature window plus clock skew, plus 30 s: until then
/// the daemon is still filling its table of request ids and their list of arrivals, by design). It passes when there was no error, the RSS grew by
/// at most `maxRssGrowthPercent`, descriptors other than live connections did not grow, and the load was held:
/// the answers kept up with the schedule (a server or generator that falls behind stretches the run, and the
/// rate answered drops below the target).
struct SoakResult: Codable, Sendable {
    /// One figure of a daemon over the soak: at the baseline, its highest from the baseline on, and at the end.
    struct Trend: Codable, Sendable {
        var baseline: Double
        var max: Double
        var end: Double
        /// (end − baseline) / baseline, in percent.
        var growthPercent: Double { baseline > 0 ? (end - baseline) / baseline * 100 : 0 }

        init?(_ samples: [Double]) {
            guard let first = samples.first, let last = samples.last, let highest = samples.max() else { return nil }
            baseline = first
            max = highest
            end = last
        }
    }

    /// A daemon's trends from the baseline sample to the end.
    struct Daemon: Codable, Sendable {
        /// RSS one minute into the load (or at the first sample after), for how much the warm-up added.
        var rssOneMinuteMib: Double?
        var rssMib: Trend
        var rssGrowthPercent: Double
        var anonymousRssMib: Trend
        var descriptors: Trend
        var otherDescriptors: Trend
        var connections: Trend

        init?(_ samples: [SoakSample.Resources?], seconds: [Double], from baseline: Int) {
            let after = samples[baseline...].compactMap { $0 }
            // The daemon must have been read at the baseline and at the end: a daemon that died has no trend.
            guard samples[baseline] != nil, samples.last.flatMap({ $0 }) != nil, let rss = Trend(after.map(\.rssMib)),
                  let anonymous = Trend(after.map(\.anonymousRssMib)), let descriptors = Trend(after.map { Double($0.descriptors) }),
                  let others = Trend(after.map { Double($0.otherDescriptors) }), let connections = Trend(after.map { Double($0.connections) })
            else { return nil }
            rssOneMinuteMib = zip(seconds, samples).first { $0.0 >= 60 && $0.1 != nil }?.1?.rssMib
            rssMib = rss
            rssGrowthPercent = rss.growthPercent
            anonymousRssMib = anonymous
            self.descriptors = descriptors
            otherDescriptors = others
            self.connections = connections
        }
    }

    static let maxRssGrowthPercent = 10.0
    /// The load counts as held when this share of the target rate was answered, from the start to the last answer.
    static let minimumAchievedShare = 0.95

    var scenario = "soak"
    var storeRecords: Int
    /// Closed-loop `query-1` rate measured just before (`--duration` seconds, `--connections`).
    var capacityRps: Double
    var loadPercent: Double
    var targetRps: Int
    var seconds: Double
    var warmupSeconds: Double
    /// How long the daemon holds a request id (signature window plus clock skew): the warm-up must be longer.
    var replayWindowSeconds: Int
    var intervalSeconds: Double
    /// Requests the schedule held (`targetRps × seconds`), and those sent: a worker stops a minute after the
    /// schedule's end, so a server that fell behind leaves some unsent. `requests + errors` must equal `sent`.
    var scheduled: Int
    var sent: Int
    var requests: Int
    var errors: Int
    var firstError: String?
    /// Answers per second over the soak, from its start to the last answer.
    var achievedRps: Double
    var p50Ms: Double
    var p90Ms: Double
    var p99Ms: Double
    var p999Ms: Double
    var maxMs: Double
    var startLagP50Ms: Double
    var startLagP99Ms: Double
    var startLagMaxMs: Double
    /// The answering daemon's CPU (user + system) per answer over the soak, and the hypervisor's steal on its CPUs.
    var serverCpuUsPerRequest: Double?
    var serverCpuStealPercent: Double?
    /// The time of the baseline sample (the first at or after the warm-up).
    var baselineSeconds: Double
    var server: Daemon?
    var client: Daemon?
    var generatorRssMib: Trend?
    var samples: [SoakSample]
    var checks: [Summary.Target]
    var passed: Bool

    init(capacity: ScenarioResult, loadPercent: Double, targetRps: Int, seconds: Double, warmup: Double, replayWindow: Int, interval: Double,
         scheduled: Int, sent: Int, load: LoadResult, lag: Histogram<UInt64>, samples: [SoakSample]) {
        storeRecords = capacity.storeRecords
        capacityRps = capacity.rps
        self.loadPercent = loadPercent
        self.targetRps = targetRps
        self.seconds = seconds
        warmupSeconds = warmup
        replayWindowSeconds = replayWindow
        intervalSeconds = interval
        self.scheduled = scheduled
        self.sent = sent
        requests = load.requests
        errors = load.errors
        firstError = load.firstError
        achievedRps = load.seconds > 0 ? Double(load.requests) / load.seconds : 0
        p50Ms = load.percentileMilliseconds(50)
        p90Ms = load.percentileMilliseconds(90)
        p99Ms = load.percentileMilliseconds(99)
        p999Ms = load.percentileMilliseconds(99.9)
        maxMs = load.latency.maxMilliseconds
        startLagP50Ms = lag.milliseconds(atPercentile: 50)
        startLagP99Ms = lag.milliseconds(atPercentile: 99)
        startLagMaxMs = lag.maxMilliseconds
        self.samples = samples
        let baseline = samples.firstIndex { $0.seconds >= warmup } ?? max(samples.count - 1, 0)
        baselineSeconds = samples.isEmpty ? 0 : samples[baseline].seconds
        let times = samples.map(\.seconds)
        server = samples.isEmpty ? nil : Daemon(samples.map(\.server), seconds: times, from: baseline)
        client = samples.isEmpty ? nil : Daemon(samples.map(\.client), seconds: times, from: baseline)
        generatorRssMib = Trend(samples.dropFirst(baseline).compactMap(\.generatorRssMib))

        var checks: [Summary.Target] = []
        checks.append(.init(name: "errors (non-200, timeouts, connection failures)", measured: Double(errors), limit: 0, met: errors == 0))
        checks.append(.init(name: "requests + errors = sent", measured: Double(requests + errors), limit: Double(sent),
                            met: requests + errors == sent))
        checks.append(.init(name: "sent = scheduled (all sent by a minute after the schedule's end)", measured: Double(sent),
                            limit: Double(scheduled), met: sent == scheduled))
        // A daemon that could not be read at the baseline or the end (it exited) fails both of its checks.
        let unread = server == nil ? " — the server could not be read (it exited)" : ""
        let growth = server?.rssGrowthPercent ?? 0
        checks.append(.init(name: "server RSS growth % (end vs baseline at \(Int(baselineSeconds)) s)" + unread, measured: growth,
                            limit: Self.maxRssGrowthPercent, met: server != nil && growth <= Self.maxRssGrowthPercent))
        let descriptorGrowth = server.map { $0.otherDescriptors.end - $0.otherDescriptors.baseline } ?? 0
        checks.append(.init(name: "server descriptors other than live connections, end − baseline" + unread, measured: descriptorGrowth,
                            limit: 0, met: server != nil && descriptorGrowth <= 0))
        checks.append(.init(name: "answered/s as a share of the target", measured: targetRps > 0 ? achievedRps / Double(targetRps) : 0,
                            limit: Self.minimumAchievedShare, met: achievedRps >= Double(targetRps) * Self.minimumAchievedShare))
        self.checks = checks
        passed = checks.allSatisfy(\.met)
    }
}
