import Foundation

/// `POST /v1/applications` on the provider's peer listener: what the requesting province asks for, and why.
/// The purpose and the legal basis are for people to judge; the gateway only checks that they are there.
public struct ApplicationSubmission: Codable, Sendable, Equatable {
    /// Made by the requesting gateway (`ApplicationID`).
    public var id: String
    public var resource: String
    public var matter: String
    /// Fields asked for; empty for every field the matter needs that the resource has.
    public var fields: [String]
    /// 用途: what the data is for.
    public var purpose: String
    /// 依据: the law, regulation or document the request rests on.
    public var basis: String
    /// How long the requester needs access, in days (1 to 3650); undecided after that long, the application expires.
    public var days: Int
    /// Who at the requesting department answers questions about it (name, telephone).
    public var contact: String
    public var requester: Requester

    public init(id: String, resource: String, matter: String, fields: [String], purpose: String, basis: String, days: Int,
                contact: String, requester: Requester) {
        self.id = id
        self.resource = resource
        self.matter = matter
        self.fields = fields
        self.purpose = purpose
        self.basis = basis
        self.days = days
        self.contact = contact
        self.requester = requester
    }

    /// Longest purpose, basis, contact or reason, in characters.
    public static let maximumText = 2000
}
