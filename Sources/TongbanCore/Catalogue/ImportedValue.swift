/// One value of an imported row, as its file gave it. A CSV cell is text, and a field of any type is read from
/// text; a JSON Lines value has a JSON type, which must be the field's (`RecordValidator`), so that `true` or `12`
/// is not stored as the text of a name.
public enum ImportedValue: Sendable, Equatable {
    /// A CSV cell.
    case text(String)
    /// A JSON string: for string, date and code fields.
    case string(String)
    /// A JSON number, as text: for integer and decimal fields.
    case number(String)
    /// JSON `true` or `false`: for boolean fields.
    case bool(Bool)
    /// JSON `null`: absent, like an empty CSV cell.
    case null

    /// What JSON gave, for messages (never the value itself).
    var kind: String {
        switch self {
        case .text, .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}
