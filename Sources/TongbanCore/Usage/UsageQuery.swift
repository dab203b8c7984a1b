import Foundation

/// What `tongbanctl usage report` sums (`GET /v1/usage` on the admin socket): the exchanges of one direction — this
/// province's use of peers' records (`out`, the default) or peers' use of its own (`in`) — within a time range, for
/// one peer or one department when given.
public struct UsageQuery: Sendable, Equatable {
    public var range: AuditQuery
    public var peer: String?
    public var department: String?

    public init(range: AuditQuery, peer: String? = nil, department: String? = nil) {
        self.range = range
        self.peer = peer
        self.department = department
    }

    /// The direction summed: outbound unless the range says inbound.
    public var direction: AuditEntry.Direction { range.direction ?? .outbound }

    /// The query string `GET /v1/usage` reads.
    public var queryItems: [String] {
        var range = self.range
        range.direction = direction
        var items = range.queryItems
        if let peer { items.append("peer=" + (peer.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? peer)) }
        if let department { items.append("department=" + (department.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? department)) }
        return items
    }
}
