import Foundation

/// Who asks, inside the requesting province: the department and the operator, for accountability.
public struct Requester: Codable, Sendable, Equatable {
    public var departmentCode: String
    public var departmentName: String
    public var operatorId: String

    public init(departmentCode: String, departmentName: String, operatorId: String) {
        self.departmentCode = departmentCode
        self.departmentName = departmentName
        self.operatorId = operatorId
    }
}

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

public struct QueryResponse: Codable, Sendable, Equatable {
    public struct Record: Codable, Sendable, Equatable {
        public var subject: String
        public var fields: [String: JSONValue]
        public var updatedAt: Date
        public init(subject: String, fields: [String: JSONValue], updatedAt: Date) {
            self.subject = subject
            self.fields = fields
            self.updatedAt = updatedAt
        }
    }

    public var resource: String
    public var records: [Record]
    public var notFound: [String]

    public init(resource: String, records: [Record], notFound: [String]) {
        self.resource = resource
        self.records = records
        self.notFound = notFound
    }
}

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

public struct VerifyResponse: Codable, Sendable, Equatable {
    public var subject: String
    /// Field → whether the claim matches the record; false too when the subject is unknown.
    public var results: [String: Bool]
    public var found: Bool

    public init(subject: String, results: [String: Bool], found: Bool) {
        self.subject = subject
        self.results = results
        self.found = found
    }
}
