import Foundation

/// Where an application stands, as the provider tells the requester: pushed after a decision
/// (`POST /v1/applications/{id}/decision` on the requester's peer listener), answered to a pull
/// (`GET /v1/applications/{id}` on the provider's) and to a withdrawal. Signed like every peer message.
public struct ApplicationUpdate: Codable, Sendable, Equatable {
    public var id: String
    public var state: ApplicationState
    public var decidedAt: Date?
    /// A refusal's reason (required), or a withdrawal's (optional).
    public var reason: String?
    /// The grant an approval made: its fields, those in clear, and how long it lasts.
    public var grant: Grant?

    public init(id: String, state: ApplicationState, decidedAt: Date? = nil, reason: String? = nil, grant: Grant? = nil) {
        self.id = id
        self.state = state
        self.decidedAt = decidedAt
        self.reason = reason
        self.grant = grant
    }
}
