import Foundation

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
