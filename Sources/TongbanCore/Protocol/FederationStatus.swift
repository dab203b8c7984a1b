import Foundation

/// The manifest a gateway runs on and how it keeps it: `tongbanctl federation status` (admin `GET /v1/federation`).
public struct FederationStatus: Codable, Sendable, Equatable {
    public var federation: String
    public var serial: Int
    public var issuedAt: Date
    public var expiresAt: Date
    /// Where the manifest in force came from: `hub URL`, `file PATH`, `peer NN`, or `disk PATH` (the last good copy).
    public var source: String
    public var appliedAt: Date
    public var members: Int
    public var suspended: [String]
    public var revocations: Int
    public var matters: Int
    /// When the sources were last asked, and when they will be next.
    public var lastCheck: Date?
    public var nextRefresh: Date?
    /// Why the last candidate was refused (rollback, bad signature …), with when; nil when none was.
    public var lastRefusal: String?
    public var lastRefusalAt: Date?
    /// `ok`, `expiring` (within the warning period), `grace` (past `expiresAt`, exchanges still served) or `expired`
    /// (exchanges refused, `tongban.federation.expired`).
    public var state: String

    public init(federation: String, serial: Int, issuedAt: Date, expiresAt: Date, source: String, appliedAt: Date, members: Int,
                suspended: [String], revocations: Int, matters: Int, state: String) {
        self.federation = federation
        self.serial = serial
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.source = source
        self.appliedAt = appliedAt
        self.members = members
        self.suspended = suspended
        self.revocations = revocations
        self.matters = matters
        self.state = state
    }
}
