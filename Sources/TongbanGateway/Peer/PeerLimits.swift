import Foundation
import Synchronization
import TongbanCore

/// The peer listener's admission limits: a token bucket per calling province (`limits.peerRequestsPerSecond`,
/// `limits.peerBurst`) and a cap on requests in progress for all peers together (`limits.concurrentPeerRequests`).
/// Checked before a request's signature is, so a misbehaving peer costs little.
final class PeerLimits: Sendable {
    private struct Settings {
        var rate: Double
        var burst: Int
        var concurrent: Int
    }

    private let settings: Mutex<Settings>
    var rate: Double { settings.withLock { $0.rate } }
    var burst: Int { settings.withLock { $0.burst } }
    var concurrent: Int { settings.withLock { $0.concurrent } }
    private let buckets = Mutex<[ProvinceCode: TokenBucket]>([:])
    private let inProgress = Mutex(0)
    /// Bucket arithmetic runs on a monotonic clock, in seconds since this instance was made.
    private let epoch = ContinuousClock.now

    init(rate: Double, burst: Int, concurrent: Int) {
        settings = Mutex(Settings(rate: rate, burst: burst, concurrent: concurrent))
    }

    /// New limits from a reload; every province starts again with a full bucket.
    func configure(rate: Double, burst: Int, concurrent: Int) {
        settings.withLock { $0 = Settings(rate: rate, burst: burst, concurrent: concurrent) }
        buckets.withLock { $0 = [:] }
    }

    /// Admits the request (then `release()` must follow) or says why not.
    func admit(_ caller: ProvinceCode) -> LimitDecision {
        let elapsed = ContinuousClock.now - epoch
        return admit(caller, now: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    func admit(_ caller: ProvinceCode, now: Double) -> LimitDecision {
        let (rate, burst, concurrent) = settings.withLock { ($0.rate, $0.burst, $0.concurrent) }
        let wait = buckets.withLock { table -> Double? in
            var bucket = table[caller] ?? TokenBucket(rate: rate, capacity: burst, now: now)
            defer { table[caller] = bucket }
            return bucket.take(now: now)
        }
        if let wait {
            return .refuse(code: .rateLimited, retryAfterSeconds: max(1, Int(wait.rounded(.up))),
                           detail: "province \(caller) is over its limit of \(Self.format(rate)) requests per second (burst \(burst))")
        }
        let admitted = inProgress.withLock { count -> Bool in
            guard count < concurrent else { return false }
            count += 1
            return true
        }
        guard admitted else {
            return .refuse(code: .overloaded, retryAfterSeconds: 1,
                           detail: "the gateway is handling \(concurrent) requests already; try again shortly")
        }
        return .admit
    }

    func release() {
        inProgress.withLock { $0 -= 1 }
    }

    var requestsInProgress: Int { inProgress.withLock { $0 } }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
