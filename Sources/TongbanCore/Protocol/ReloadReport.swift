/// What a reload did (`POST /v1/reload` on the admin socket, `tongbanctl reload`; SIGHUP logs the same).
public struct ReloadReport: Codable, Sendable, Equatable {
    /// Whether the new configuration is in force. When false, nothing changed.
    public var applied: Bool
    /// Every reason the new configuration was refused, each naming its file, key or line.
    public var problems: [String]
    /// What changed, in words (empty when nothing did, or when refused).
    public var changes: [String]

    public init(applied: Bool, problems: [String], changes: [String]) {
        self.applied = applied
        self.problems = problems
        self.changes = changes
    }
}
