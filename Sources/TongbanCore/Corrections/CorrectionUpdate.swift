import Foundation

/// Where a correction stands, as the provider tells the requester: pushed after the outcome
/// (`POST /v1/corrections/{id}/outcome` on the requester's peer listener), answered to a pull
/// (`GET /v1/corrections/{id}` on the provider's) and to a withdrawal. No value of the record is in it.
public struct CorrectionUpdate: Codable, Sendable, Equatable {
    public var id: String
    public var state: CorrectionState
    public var resolvedAt: Date?
    /// The outcome's reason (required), or a withdrawal's (optional).
    public var reason: String?

    public init(id: String, state: CorrectionState, resolvedAt: Date? = nil, reason: String? = nil) {
        self.id = id
        self.state = state
        self.resolvedAt = resolvedAt
        self.reason = reason
    }
}
