import Foundation

/// `POST /v1/verify`: confirm or deny claims about one subject without disclosing any value.
public struct VerifyRequest: Codable, Sendable, Equatable {
    public var resource: String
    public var matter: String
    public var requester: Requester
    public var subject: String
    public var claims: [String: String]

    public init(resource: String, matter: String, requester: Requester, subject: String, claims: [String: String]) {
        self.resource = resource
        self.matter = matter
        self.requester = requester
        self.subject = subject
        self.claims = claims
    }
}
