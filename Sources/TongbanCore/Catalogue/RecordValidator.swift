import Foundation

/// Checks one imported row against its resource's fields and turns it into the stored form: typed values,
/// the subject normalised (ID numbers upper-case, legacy 15-digit numbers converted). Messages never carry
/// the offending value, so an import report cannot leak personal data into a log.
public struct RecordValidator: Sendable {
    public let resource: CatalogueResource
    /// Today in China as YYYYMMDD, computed once: no date may lie after it.
    let today: Int

    public init(resource: CatalogueResource, today: Date = Date()) {
        self.resource = resource
        self.today = CitizenID.dateNumber(today)
    }

    /// A valid row: its subject, its fields as a JSON-ready dictionary, and which fields held a legacy 15-digit ID
    /// number now stored as its 18-character form (the import reports them: the operator sees what was rewritten).
    public struct Valid: Sendable {
        public let subject: String
        public let fields: [String: JSONValue]
        public let converted: [String]
    }

    public enum Outcome: @unchecked Sendable {
        case success(Valid)
        case failure([RecordIssue])
    }

    /// A CSV header's problems, all at line 1: columns the resource lacks and required fields without a column.
    /// Checked once, before any row, so that a misspelt name is one problem rather than one per row.
    public func headerIssues(_ columns: [String]) -> [RecordIssue] {
        let present = Set(columns)
        return columns.filter { resource.field($0) == nil }.map {
            RecordIssue(line: 1, field: $0, message: "is not a field of resource \(resource.code)")
        } + resource.fields.filter { $0.required && !present.contains($0.name) }.map {
            RecordIssue(line: 1, field: $0.name, message: "missing from the header (required)")
        }
    }

    /// `row` maps column names to text, as CSV gives it (nil or empty: absent).
    public func validate(_ row: [String: String?], line: Int) -> Outcome {
        validate(row.mapValues { $0.map(ImportedValue.text) ?? .null }, line: line)
    }

    /// Every value is trimmed of surrounding whitespace first (CSV and JSON Lines alike); a value that is then
    /// empty, or JSON null, is absent.
    public func validate(_ row: [String: ImportedValue], line: Int) -> Outcome {
        var issues: [RecordIssue] = []
        var fields: [String: JSONValue] = [:]
        var converted: [String] = []
        for column in row.keys.sorted() where resource.field(column) == nil {
            issues.append(RecordIssue(line: line, field: column, message: "is not a field of resource \(resource.code)"))
        }
        for field in resource.fields {
            switch Self.convert(row[field.name] ?? .null, field, today: today) {
            case .absent:
                if field.required { issues.append(RecordIssue(line: line, field: field.name, message: "missing (required)")) }
            case .success(let value, let legacy):
                fields[field.name] = value
                if legacy { converted.append(field.name) }
            case .failure(let message): issues.append(RecordIssue(line: line, field: field.name, message: message))
            }
        }
        guard issues.isEmpty, case .string(let subject)? = fields[resource.subjectField] else {
            if issues.isEmpty { issues.append(RecordIssue(line: line, field: resource.subjectField, message: "the subject must be text")) }
            return .failure(issues)
        }
        return .success(Valid(subject: subject, fields: fields, converted: converted))
    }

    enum Conversion {
        case absent
        /// `legacy`: a 15-digit ID number, converted.
        case success(JSONValue, legacy: Bool = false)
        case failure(String)
    }

    static func convert(_ value: ImportedValue, _ field: CatalogueField, today: Int) -> Conversion {
        let raw: String
        switch (value, field.type) {
        case (.null, _): return .absent
        case (.text(let text), _), (.string(let text), .string), (.string(let text), .date), (.string(let text), .code),
             (.number(let text), .integer), (.number(let text), .decimal):
            raw = text
        case (.bool(let bool), .boolean): return .success(.bool(bool))
        case (_, .boolean): return .failure("must be JSON true or false, not \(value.kind)")
        case (_, .integer), (_, .decimal): return .failure("must be a JSON number, not \(value.kind)")
        case (_, .string), (_, .date), (_, .code): return .failure("must be a JSON string, not \(value.kind)")
        }
        // Most values have no whitespace around them: only those are copied.
        let text = raw.first?.isWhitespace == true || raw.last?.isWhitespace == true ? raw.trimmingWhitespace : raw
        guard !text.isEmpty else { return .absent }
        return convert(text, field, today: today)
    }

    static func convert(_ text: String, _ field: CatalogueField, today: Int) -> Conversion {
        // A control character is never data: NUL ends the value for C readers of an export, ESC drives terminals.
        // TAB, LF and CR are text (a note's lines). JSONDecoder reads them raw inside JSON strings, RFC 8259 does not.
        if text.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D) || $0 == 0x7F }) {
            return .failure("contains a control character (U+0000–U+001F other than tab and line ends, or U+007F)")
        }
        switch field.type {
        case .string:
            return .success(.string(text))
        case .integer:
            guard let value = Int(text) else { return .failure("must be a whole number") }
            return .success(.integer(value))
        case .decimal:
            guard let value = Double(text), value.isFinite else { return .failure("must be a decimal number") }
            return .success(.number(value))
        case .boolean:
            switch text.lowercased() {
            case "true", "1", "yes", "是": return .success(.bool(true))
            case "false", "0", "no", "否": return .success(.bool(false))
            default: return .failure("must be true or false")
            }
        case .date:
            let bytes = Array(text.utf8)
            guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
                  CitizenID.isRealDate(Array(bytes[0..<4] + bytes[5..<7] + bytes[8..<10]), notAfter: today) else {
                return .failure("must be a real date YYYY-MM-DD, not in the future")
            }
            return .success(.string(text))
        case .code:
            switch field.codeSystem {
            case .gb11643:
                // Valid 15 characters can only be a legacy number (all digits), which `CitizenID` converts.
                do { return .success(.string(try CitizenID(text, todayNumber: today).value), legacy: text.utf8.count == 15) } catch {
                    return .failure("invalid citizen ID number (\(error.detail ?? "format"))")
                }
            case .gb2260:
                guard AdministrativeDivisions.shared.contains(text) else { return .failure("not a GB/T 2260 division code") }
                return .success(.string(text))
            case nil:
                return .success(.string(text))
            }
        }
    }
}
