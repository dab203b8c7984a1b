/// What one refresh of the federation manifest did: `applied` (a higher serial is in force), `unchanged`, `refused`
/// with the reason (the last good copy stays in force), `unreachable` (no source answered) or `busy` (another refresh
/// held it for a minute) — `tongbanctl federation refresh`.
public struct FederationRefreshReport: Codable, Sendable, Equatable {
    public var outcome: String
    public var serial: Int
    public var source: String?
    /// Each source asked that did not give a usable manifest, and why.
    public var problems: [String]

    public init(outcome: String, serial: Int, source: String?, problems: [String]) {
        self.outcome = outcome
        self.serial = serial
        self.source = source
        self.problems = problems
    }
}
