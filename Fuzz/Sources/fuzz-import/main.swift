import Foundation
import FuzzSupport
import TongbanConfig
import TongbanCore

// The import file reader (`RecordFileReader`, CSV through CSV.swift and JSON Lines through JSONDecoder) and the
// row validator (`RecordValidator`) under it, as `tongbanctl import` runs them. The first byte picks the format
// (even: CSV, odd: JSON Lines); the rest is the file. Properties:
// - rows arrive in increasing line order, each line within the file (CSV lines end at CR LF, LF or CR), and every problem names a line within it
//   (or one past its end, for a CSV syntax error at the end);
// - the validator answers each row with either a valid row or at least one problem, all at that row's line; a
//   valid row's subject is its subject field's stored value, and no stored text holds a control character but TAB,
//   LF and CR;
// - JSON Lines, differential against Foundation's `JSONSerialization`: a line the reader accepts is, for it, an
//   object whose values are all scalars; and a line it reads as an object of strings, booleans,
//   nulls and finite numbers, without duplicate keys, the reader accepts (or the file stopped earlier).
let resource = CatalogueLoader.parse(yaml: """
    resources:
      - code: "1010010001"
        name: 户籍人口信息
        category: {kind: basic, path: [人口, 户籍]}
        provider: {name: 公安厅, code: "PSB"}
        summary: 户籍。
        subjectField: idNumber
        sharing: {type: unconditional}
        updateCycle: daily
        publishedAt: "2024-01-15"
        fields:
          - {name: idNumber, title: 公民身份号码, type: code, codeSystem: GB11643, sensitive: true, masking: id-number}
          - {name: name, title: 姓名, type: string, sensitive: true, masking: name}
          - {name: county, title: 登记地, type: code, codeSystem: GB2260}
          - {name: members, title: 户内人数, type: integer, required: false}
          - {name: income, title: 收入, type: decimal, required: false}
          - {name: resident, title: 常住, type: boolean, required: false}
          - {name: registrationDate, title: 登记日期, type: date, required: false}
          - {name: note, title: 备注, type: string, required: false}
    """).resources![0]
let validator = RecordValidator(resource: resource)

Fuzz.run { input in
    guard let first = input.first else { return }
    let format: RecordFileFormat = first % 2 == 0 ? .csv : .jsonl
    let file = input.dropFirst()
    // Lines as an editor counts them: CSV rows end at CR LF, LF or a lone CR; JSON Lines at LF only.
    var lineCount = 1
    for (index, byte) in zip(file.indices, file) {
        if byte == UInt8(ascii: "\n") { lineCount += 1 }
        if format == .csv, byte == UInt8(ascii: "\r"), index + 1 == file.endIndex || file[index + 1] != UInt8(ascii: "\n") { lineCount += 1 }
    }
    var lastLine = 0
    var accepted: Set<Int> = []
    let stop = RecordFileReader.read(file, format: format, header: validator.headerIssues) { line, values in
        guard line > lastLine, line >= 1, line <= lineCount else {
            Fuzz.difference("import", "row at line \(line) after line \(lastLine), file of \(lineCount) lines", input: input)
        }
        lastLine = line
        accepted.insert(line)
        switch validator.validate(values, line: line) {
        case .success(let valid):
            guard case .string(let stored)? = valid.fields[resource.subjectField], stored == valid.subject else {
                Fuzz.difference("import", "line \(line): the subject is not its field's stored value", input: input)
            }
            for case (let name, .string(let text)) in valid.fields
            where text.utf8.contains(where: { ($0 < 0x20 && ![0x09, 0x0A, 0x0D].contains($0)) || $0 == 0x7F }) {
                Fuzz.difference("import", "line \(line): field \(name) stored with a control character", input: input)
            }
        case .failure(let issues):
            guard !issues.isEmpty, issues.allSatisfy({ $0.line == line }) else {
                Fuzz.difference("import", "line \(line): refused with \(issues.count) problems, lines \(issues.map(\.line))", input: input)
            }
        }
    }
    for issue in stop where issue.line < 1 || issue.line > lineCount + 1 {
        Fuzz.difference("import", "a problem at line \(issue.line) of a file of \(lineCount) lines: \(issue.message)", input: input)
    }
    var text = file[...]
    if text.starts(with: [0xEF, 0xBB, 0xBF]) { text = text.dropFirst(3) }
    guard format == .jsonl, let decoded = String(validating: text, as: UTF8.self) else { return }
    let stoppedAt = stop.first?.line ?? Int.max
    for (index, lineBytes) in decoded.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() where index + 1 < stoppedAt {
        // The reader trims Unicode whitespace around a line (JSON itself allows four characters): compared trimmed.
        let line = Array(Substring(lineBytes).trimmingCharacters(in: .whitespacesAndNewlines).utf8)[...]
        let theirs = try? JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed])
        if accepted.contains(index + 1) {
            // JSONDecoder reads raw control characters inside strings, which RFC 8259 and JSONSerialization refuse;
            // the validator then refuses every such value but TAB, LF and CR (checked above for what is stored).
            guard let object = theirs as? [String: Any], object.values.allSatisfy(isScalar) else {
                if theirs == nil, line.contains(where: { $0 < 0x20 }) { continue }
                Fuzz.difference("import", "line \(index + 1) accepted, JSONSerialization reads \(String(describing: theirs))", input: input)
            }
        } else if let object = theirs as? [String: Any], object.values.allSatisfy(isScalar), !hasDuplicateKeys(line, object.count),
                  !line.isEmpty {
            Fuzz.difference("import", "line \(index + 1) refused, JSONSerialization reads an object of scalars", input: input)
        }
    }
}

func isScalar(_ value: Any) -> Bool {
    if value is NSNull || value is String { return true }
    if let number = value as? NSNumber { return number.doubleValue.isFinite }
    return false
}

/// Whether the object on `line` has fewer distinct keys than members: JSONSerialization keeps one of a duplicate
/// key's values, JSONDecoder refuses the object. Counted from the line's own text: strings that are keys.
func hasDuplicateKeys(_ line: ArraySlice<UInt8>, _ distinct: Int) -> Bool {
    var members = 0, depth = 0, inString = false, escaped = false, expectingKey = false
    for byte in line {
        if inString {
            if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            continue
        }
        switch byte {
        case UInt8(ascii: "\""):
            if depth == 1, expectingKey { members += 1; expectingKey = false }
            inString = true
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            depth += 1
            if depth == 1 { expectingKey = true }
        case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
        case UInt8(ascii: ","): if depth == 1 { expectingKey = true }
        default: break
        }
    }
    return members > distinct
}
