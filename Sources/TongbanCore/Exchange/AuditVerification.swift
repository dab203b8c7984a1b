import Foundation

/// `tongbanctl audit verify`: the chain is whole, or the first entry where it breaks and why.
public struct AuditVerification: Codable, Sendable, Equatable {
    public var ok: Bool
    public var entries: Int
    public var firstBroken: Int?
    public var reason: String?

    public init(ok: Bool, entries: Int, firstBroken: Int? = nil, reason: String? = nil) {
        self.ok = ok
        self.entries = entries
        self.firstBroken = firstBroken
        self.reason = reason
    }
}
