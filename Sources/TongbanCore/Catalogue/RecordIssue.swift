/// One thing about one imported row: its line in the file, the field, and what is wrong with it (or, in an
/// import report's `conversions`, what was done to it).
public struct RecordIssue: Codable, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var field: String?
    public var message: String

    public init(line: Int, field: String?, message: String) {
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String { "line \(line): \(field.map { "\($0): " } ?? "")\(message)" }
}
