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

    /// Hands the records of `subjects` found in `found` to `visit` as `ProvinceStore.visitRecordsNow` does: each one's
    /// place in `subjects`, its fields' UTF-8 and its time, in the order of `subjects`.
    public static func visit(_ found: [String: StoredRecord], in subjects: [String], _ visit: (Int, UnsafeBufferPointer<UInt8>, Date) -> Void) {
        for (index, subject) in subjects.enumerated() {
            guard let record = found[subject] else { continue }
            var text = record.fieldsJSON
            text.withUTF8 { visit(index, $0, record.updatedAt) }
        }
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
