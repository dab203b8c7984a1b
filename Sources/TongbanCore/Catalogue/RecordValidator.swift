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

    /// A valid row: its subject and its fields as a JSON-ready dictionary.
    public struct Valid: Sendable {
        public let subject: String
        public let fields: [String: JSONValue]
    }

    /// `row` maps column names to text (nil or empty: absent).
    public enum Outcome: @unchecked Sendable {
        case success(Valid)
        case failure([RecordIssue])
    }

    public func validate(_ row: [String: String?], line: Int) -> Outcome {
        var issues: [RecordIssue] = []
        var fields: [String: JSONValue] = [:]
        for column in row.keys.sorted() where resource.field(column) == nil {
            issues.append(RecordIssue(line: line, field: column, message: "is not a field of resource \(resource.code)"))
        }
        for field in resource.fields {
            guard let text = row[field.name] ?? nil, !text.isEmpty else {
                if field.required { issues.append(RecordIssue(line: line, field: field.name, message: "missing (required)")) }
                continue
            }
            switch Self.convert(text, field, today: today) {
            case .success(let value): fields[field.name] = value
            case .failure(let message): issues.append(RecordIssue(line: line, field: field.name, message: message))
            }
        }
        guard issues.isEmpty, case .string(let subject)? = fields[resource.subjectField] else {
            if issues.isEmpty { issues.append(RecordIssue(line: line, field: resource.subjectField, message: "the subject must be text")) }
            return .failure(issues)
        }
        return .success(Valid(subject: subject, fields: fields))
    }

    enum Conversion {
        case success(JSONValue)
        case failure(String)
    }

    static func convert(_ text: String, _ field: CatalogueField, today: Int) -> Conversion {
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
                do { return .success(.string(try CitizenID(text, todayNumber: today).value)) } catch {
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
