import Foundation
import Synchronization
import TongbanCore

/// Peers' certificates seen on the wire — the TLS client certificate each calling province presented — kept
/// for the expiry warnings and the certificate metrics (one per province and usage, the latest seen).
final class PeerCertificates: Sendable {
    struct Seen: Sendable, Equatable {
        var province: String
        var usage: String
        var notAfter: Date
    }

    private let seen = Mutex<[String: Seen]>([:])

    func record(province: ProvinceCode, usage: String, notAfter: Date) {
        let entry = Seen(province: province.rawValue, usage: usage, notAfter: notAfter)
        seen.withLock { $0[province.rawValue + "/" + usage] = entry }
    }

    func all() -> [Seen] { seen.withLock { Array($0.values) } }
}
