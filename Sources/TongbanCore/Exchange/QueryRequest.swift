import Foundation

/// `POST /v1/query`: records of 1 to 1,000 subjects, for one matter.
public struct QueryRequest: Codable, Sendable, Equatable {
    public static let maximumSubjects = 1000

    public var resource: String
    public var matter: String
    public var requester: Requester
    public var subjects: [String]
    /// Fields wanted; nil for all the policy allows.
    public var fields: [String]?

    public init(resource: String, matter: String, requester: Requester, subjects: [String], fields: [String]? = nil) {
        self.resource = resource
        self.matter = matter
        self.requester = requester
        self.subjects = subjects
        self.fields = fields
    }
}
