import Foundation

/// One record as stored: its subject key, its field values as canonical JSON, and when it last changed.
public struct StoredRecord: Sendable, Equatable {
    public let subject: String
    /// A JSON object of field name to value.
    public let fieldsJSON: String
    public let updatedAt: Date

    public init(subject: String, fieldsJSON: String, updatedAt: Date) {
        self.subject = subject
        self.fieldsJSON = fieldsJSON
        self.updatedAt = updatedAt
    }
}

/// Per-resource figures for the published directory.
public struct ResourceState: Sendable, Equatable {
    public let recordCount: Int
    public let modifiedAt: Date

    public init(recordCount: Int, modifiedAt: Date) {
        self.recordCount = recordCount
        self.modifiedAt = modifiedAt
    }
}
