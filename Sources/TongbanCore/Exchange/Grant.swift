import Foundation

/// Permission for a peer province to obtain a conditionally shared (有条件共享) resource for one matter:
/// which fields, which of them in clear, and for how long. Revoked grants stay on record.
public struct Grant: Codable, Sendable, Equatable {
    public var id: String
    public var peer: String
    public var resource: String
    public var matter: String
    public var fields: [String]
    /// Sensitive fields the peer may see unmasked.
    public var clearFields: [String]
    public var validFrom: Date
    public var validUntil: Date
    public var revokedAt: Date?

    public init(id: String, peer: String, resource: String, matter: String, fields: [String], clearFields: [String] = [],
                validFrom: Date, validUntil: Date, revokedAt: Date? = nil) {
        self.id = id
        self.peer = peer
        self.resource = resource
        self.matter = matter
        self.fields = fields
        self.clearFields = clearFields
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.revokedAt = revokedAt
    }

    public func isActive(at now: Date) -> Bool { revokedAt == nil && validFrom <= now && now < validUntil }
}
