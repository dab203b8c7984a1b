import Foundation
import TongbanCore

/// Request ids seen within the signature window, per calling province: a second request with the same id is
/// a replay. Entries older than the window are dropped, so memory stays bounded by the request rate.
actor ReplayCache {
    let window: TimeInterval
    private var seen: [String: TimeInterval] = [:]
    private var lastPrune: TimeInterval = 0

    init(window: TimeInterval) {
        self.window = window
    }

    /// Records the id; false when it was already seen within the window.
    func record(_ requestID: String, from province: ProvinceCode, now: TimeInterval = Date().timeIntervalSince1970) -> Bool {
        if now - lastPrune > 1 { prune(now) }
        let key = province.rawValue + "/" + requestID
        if let at = seen[key], now - at <= window { return false }
        seen[key] = now
        return true
    }

    private func prune(_ now: TimeInterval) {
        seen = seen.filter { now - $0.value <= window }
        lastPrune = now
    }
}
