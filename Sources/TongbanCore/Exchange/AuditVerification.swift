import Foundation

/// `tongbanctl audit verify`: the chain is whole, or the first entry where it breaks and why.
public struct AuditVerification: Codable, Sendable, Equatable {
    public var ok: Bool
    public var entries: Int
    public var firstBroken: Int?
    public var reason: String?
    /// The runs of entries hashed with one algorithm, in order (a switch of `audit.hash` starts a new one).
    public var segments: [Segment]?

    public struct Segment: Codable, Sendable, Equatable {
        public var algorithm: String
        public var first: Int
        public var last: Int

        public init(algorithm: String, first: Int, last: Int) {
            self.algorithm = algorithm
            self.first = first
            self.last = last
        }
    }

    public init(ok: Bool, entries: Int, firstBroken: Int? = nil, reason: String? = nil, segments: [Segment]? = nil) {
        self.ok = ok
        self.entries = entries
        self.firstBroken = firstBroken
        self.reason = reason
        self.segments = segments
    }
}
