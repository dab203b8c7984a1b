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
    public struct Valid: @unchecked Sendable {
        public let subject: String
        public let fields: [String: Any]
    }

    /// `row` maps column names to text (nil or empty: absent).
    public enum Outcome: @unchecked Sendable {
        case success(Valid)
        case failure([RecordIssue])
    }

    public func validate(_ row: [String: String?], line: Int) -> Outcome {
        var issues: [RecordIssue] = []
        var fields: [String: Any] = [:]
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
        guard issues.isEmpty, let subject = fields[resource.subjectField] else {
            return .failure(issues)
        }
        return .success(Valid(subject: "\(subject)", fields: fields))
    }

    enum Conversion {
        case success(Any)
        case failure(String)
    }

    static func convert(_ text: String, _ field: CatalogueField, today: Int) -> Conversion {
        switch field.type {
        case .string:
            return .success(text)
        case .integer:
            guard let value = Int(text) else { return .failure("must be a whole number") }
            return .success(value)
        case .decimal:
            guard let value = Double(text), value.isFinite else { return .failure("must be a decimal number") }
            return .success(value)
        case .boolean:
            switch text.lowercased() {
            case "true", "1", "yes", "是": return .success(true)
            case "false", "0", "no", "否": return .success(false)
            default: return .failure("must be true or false")
            }
        case .date:
            let digits = text.replacingOccurrences(of: "-", with: "")
            guard text.range(of: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", options: .regularExpression) != nil,
                  CitizenID.isRealDate(Array(digits.utf8), notAfter: today) else {
                return .failure("must be a real date YYYY-MM-DD, not in the future")
            }
            return .success(text)
        case .code:
            switch field.codeSystem {
            case .gb11643:
                do { return .success(try CitizenID(text, todayNumber: today).value) } catch {
                    return .failure("invalid citizen ID number (\(error.detail ?? "format"))")
                }
            case .gb2260:
                guard AdministrativeDivisions.shared.contains(text) else { return .failure("not a GB/T 2260 division code") }
                return .success(text)
            case nil:
                return .success(text)
            }
        }
    }
}
