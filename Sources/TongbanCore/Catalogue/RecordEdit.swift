/// `tongbanctl records set`: one field of one stored record changed by hand (a correction made without a new export
/// from the department's system). The record is rewritten through the import, with its checks; `value` is text, read
/// as the field's type (empty clears the field).
public struct RecordEdit: Codable, Sendable, Equatable {
    public var resource: String
    public var subject: String
    public var field: String
    public var value: String

    public init(resource: String, subject: String, field: String, value: String) {
        self.resource = resource
        self.subject = subject
        self.field = field
        self.value = value
    }
}
