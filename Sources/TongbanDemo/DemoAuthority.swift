import Foundation
import TongbanCore
import TongbanPKI

/// The demo federation's authority (an `AuthorityWorkspace` in `DIR/authority`): its id, how often the demo
/// gateways refresh, and the tour's suspension and its lifting.
public struct DemoAuthority: Sendable {
    public static let federationID = "tongban-demo"
    /// Seconds between the demo gateways' manifest refreshes: a suspension takes effect within this.
    public static let refreshSeconds = 5

    public let workspace: AuthorityWorkspace
    public init(directory: String) { workspace = AuthorityWorkspace(directory: directory) }

    /// Sets `province`'s status and signs the next serial; returns it.
    @discardableResult
    public func setStatus(_ status: FederationMember.Status, of province: ProvinceCode, reason: String) async throws -> Int {
        try workspace.setStatus(province: province, status, reason: reason)
        return try await workspace.sign().manifest.serial
    }
}
