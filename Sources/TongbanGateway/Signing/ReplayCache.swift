import Foundation
import Synchronization
import TongbanCore

/// Request ids seen within the signature window, per calling province: a second request with the same id is
/// a replay. Ids are kept in arrival order and dropped from the front as they leave the window, so each
/// request costs O(1) and memory stays bounded by the request rate times the window. (An earlier version
/// rebuilt the whole table every second; at 1,500 requests/s and a 300 s window that is 450,000 entries
/// copied per second.)
///
/// An entry is the id's 16 bytes and the province's number, not text: at the rate one core answers (≈ 2,400
/// requests/s) the default 330 s window holds ≈ 800,000 ids, which as `"31/…"` strings took ≈ 150 bytes each
/// (≈ 120 MB) and now take ≈ 70 (≈ 55 MB; measured with 500,000 ids).
///
/// A lock rather than an actor: the check is a few hundred nanoseconds on every signed request, and an actor
/// made it two executor hops.
final class ReplayCache: Sendable {
    /// One id of one calling province.
    struct Key: Hashable {
        let id: UUID
        let province: UInt16
    }

    private struct Table {
        var seen: Set<Key> = []
        var arrivals: [(time: TimeInterval, key: Key)] = []
        var head = 0
        var window: TimeInterval
    }

    private let table: Mutex<Table>

    init(window: TimeInterval) {
        table = Mutex(Table(window: window))
    }

    /// How long ids are remembered: the signature window and the clock skew of the manifest in force.
    var window: TimeInterval { table.withLock { $0.window } }

    /// Widens the window when a manifest accepts older signatures (ids are never forgotten before the signatures
    /// that carry them expire); a narrower one takes effect as the ids held age out, never by dropping them.
    func widen(to window: TimeInterval) {
        table.withLock { $0.window = max($0.window, window) }
    }

    /// Records the id; false when it was already seen within the window.
    func record(_ requestID: UUID, from province: ProvinceCode, now: TimeInterval = Date().timeIntervalSince1970) -> Bool {
        // Province codes are two digits (ProvinceCode checks them against GB/T 2260).
        let key = Key(id: requestID, province: UInt16(province.rawValue) ?? .max)
        return table.withLock { table in
            Self.expire(&table, before: now - table.window)
            guard table.seen.insert(key).inserted else { return false }
            table.arrivals.append((now, key))
            return true
        }
    }

    /// Whether the id was seen within the window, without recording it (the peer fast path looks before it commits to
    /// answering; it records the id with `record` once every other check has passed).
    func contains(_ requestID: UUID, from province: ProvinceCode) -> Bool {
        let key = Key(id: requestID, province: UInt16(province.rawValue) ?? .max)
        return table.withLock { $0.seen.contains(key) }
    }

    var count: Int { table.withLock { $0.seen.count } }

    private static func expire(_ table: inout Table, before cutoff: TimeInterval) {
        while table.head < table.arrivals.count, table.arrivals[table.head].time < cutoff {
            table.seen.remove(table.arrivals[table.head].key)
            table.head += 1
        }
        if table.head > 4096, table.head * 2 > table.arrivals.count {
            table.arrivals.removeFirst(table.head)
            table.head = 0
        }
    }
}
