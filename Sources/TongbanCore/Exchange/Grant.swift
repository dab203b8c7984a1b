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

    public func state(at now: Date) -> GrantState {
        if revokedAt != nil { return .revoked }
        if now < validFrom { return .pending }
        return now < validUntil ? .active : .expired
    }

    /// Whether `other` covers the same peer, resource and matter and is active: one such grant at a time, so
    /// which grant serves a request, and what revoking one takes away, is never in doubt.
    public func overlaps(_ other: Grant, at now: Date) -> Bool {
        other.peer == peer && other.resource == resource && other.matter == matter && other.isActive(at: now)
    }

    /// A new grant id: `G-` and eight hexadecimal digits.
    public static func newID() -> String { "G-" + UUID().uuidString.prefix(8).lowercased() }

    /// Whether `text` can be a grant id (checked before it goes into a path): letters, digits, `-` and `_`.
    public static func isWellFormedID(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 64 && text.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
        }
    }
}
