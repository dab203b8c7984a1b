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
    /// The case (办件编号) the records are used for, recorded in both audits; required by a matter that says so.
    public var caseReference: String?

    public init(resource: String, matter: String, requester: Requester, subjects: [String], fields: [String]? = nil, caseReference: String? = nil) {
        self.resource = resource
        self.matter = matter
        self.requester = requester
        self.subjects = subjects
        self.fields = fields
        self.caseReference = caseReference
    }
}

extension QueryRequest: PlainJSONDecodable {
    public init?(plainJSON json: JSONValue) {
        guard let members = json.plainMembers(required: ["resource", "matter", "requester", "subjects"], optional: ["fields", "caseReference"]),
              let resource = members["resource"]?.plainString, let matter = members["matter"]?.plainString,
              let requester = members["requester"].flatMap(Requester.init(plainJSON:)),
              let subjects = members["subjects"]?.plainStrings else { return nil }
        var fields: [String]?
        switch members["fields"] {
        case nil, .null?: fields = nil
        case let value?:
            guard let strings = value.plainStrings else { return nil }
            fields = strings
        }
        var caseReference: String?
        switch members["caseReference"] {
        case nil, .null?: caseReference = nil
        case let value?:
            guard let text = value.plainString else { return nil }
            caseReference = text
        }
        self.init(resource: resource, matter: matter, requester: requester, subjects: subjects, fields: fields, caseReference: caseReference)
    }
}
