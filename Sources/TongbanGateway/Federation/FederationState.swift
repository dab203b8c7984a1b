import Foundation
import Synchronization

/// The manifest in force and the record of its refreshes. Made before the first runtime (whose peer client
/// reads keys from it) and shared by every runtime a reload makes, so a reload never loses the manifest.
final class FederationState: Sendable {
    private let active: Mutex<ActiveFederation>
    let record = Mutex(FederationRefreshRecord())
    /// One refresh at a time.
    let refreshing = Mutex(false)

    init(_ initial: ActiveFederation) { active = Mutex(initial) }

    var current: ActiveFederation { active.withLock { $0 } }

    func replace(with next: ActiveFederation) { active.withLock { $0 = next } }
}
