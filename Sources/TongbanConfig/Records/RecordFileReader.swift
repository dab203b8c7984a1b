import CSV
import Foundation
import TongbanCore

/// Reads an import file (`tongbanctl import`) row by row: the text layer under `RecordValidator`. It knows
/// nothing of a resource's fields; it hands a CSV header's columns to `header` (whose problems stop the file
/// before any row) and each row's line and values to `row`, and answers the problems that stop the whole file:
/// empty, not UTF-8, not CSV, a row with the wrong number of columns, a line that is not a JSON object of
/// scalars or that repeats a key. Here, apart from the gateway, so that `make fuzz` can drive it (target `import`).
public enum RecordFileReader {
    public static func read(_ data: some Collection<UInt8>, format: RecordFileFormat, header: ([String]) -> [RecordIssue],
                            row: (Int, [String: ImportedValue]) -> Void) -> [RecordIssue] {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }  // a byte-order mark
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return [RecordIssue(line: 1, field: nil, message: "the file is not UTF-8 text")]
        }
        // Checked here, so that a file of 0 bytes and one of blank lines fail alike in both formats.
        guard text.contains(where: { !$0.isWhitespace }) else {
            return [RecordIssue(line: 1, field: nil, message: "the file is empty: no rows to import")]
        }
        switch format {
        case .csv: return readCSV(text, header: header, row: row)
        case .jsonl: return readJSONLines(text, row: row).map { [$0] } ?? []
        }
    }

    static func readCSV(_ text: String, header check: ([String]) -> [RecordIssue], row: (Int, [String: ImportedValue]) -> Void) -> [RecordIssue] {
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: true) } catch {
            return [RecordIssue(line: 1, field: nil, message: "not a CSV file with a header row")]
        }
        guard let header = reader.headerRow, !header.isEmpty else {
            return [RecordIssue(line: 1, field: nil, message: "the header row is missing")]
        }
        var seen: Set<String> = []
        for name in header where !seen.insert(name).inserted {
            return [RecordIssue(line: 1, field: name, message: "column listed twice in the header")]
        }
        let headerIssues = check(header)
        guard headerIssues.isEmpty else { return headerIssues }
        var line = 1 + lineBreaks(in: header.joined())
        while let fields = reader.next() {
            line += 1
            if fields.count == 1, fields[0].isEmpty { continue }  // blank line
            guard fields.count == header.count else {
                return [RecordIssue(line: line, field: nil, message: "has \(fields.count) columns, the header \(header.count)")]
            }
            var values: [String: ImportedValue] = [:]
            for (name, value) in zip(header, fields) { values[name] = .text(value) }
            row(line, values)
            line += lineBreaks(in: fields.joined())
        }
        if let error = reader.error {
            return [RecordIssue(line: line + 1, field: nil, message: "CSV syntax error: \(error)")]
        }
        return []
    }

    /// A JSON Lines line as imported values, each keeping its JSON type (the validator refuses a value whose type is
    /// not its field's); numbers as text: integers as written, others as `Double` writes them. Nil when it is not a
    /// JSON object of scalars, or repeats a key. Read with Tongban's strict parser (`parseUnambiguous`), not
    /// `JSONDecoder`, which takes one value of a repeated key without reading the other: `{"name":"甲","name":"乙"}`
    /// or a repeated key's value holding NUL or `12.` passed (found by `make fuzz`'s `import` target).
    static func scalars(of line: String) -> [String: ImportedValue]? {
        var line = line
        guard case .object(let members)? = line.withUTF8({ JSONValue.parseUnambiguous(UnsafeRawBufferPointer($0)) }) else { return nil }
        var values: [String: ImportedValue] = [:]
        for (key, member) in members {
            switch member {
            case .string(let text): values[key] = .string(text)
            case .integer(let number): values[key] = .number(String(number))
            case .number(let number): values[key] = .number(String(number))
            case .bool(let bool): values[key] = .bool(bool)
            case .null: values[key] = .null
            case .array, .object: return nil
            }
        }
        return values
    }

    /// The line breaks in `text` as CSV.swift ends a row, and as an editor counts lines: CR LF, LF, or a lone CR
    /// (old Mac files). Counted in a quoted value, so that the next row's line number is the file's.
    static func lineBreaks(in text: String) -> Int {
        var count = 0
        var afterCR = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\r") { count += 1 } else if byte == UInt8(ascii: "\n"), !afterCR { count += 1 }
            afterCR = byte == UInt8(ascii: "\r")
        }
        return count
    }

    static func readJSONLines(_ text: String, row: (Int, [String: ImportedValue]) -> Void) -> RecordIssue? {
        // Split on the byte, not the Character: "\r\n" is one Character in Swift, so a file written on Windows would
        // otherwise be one line.
        for (index, lineBytes) in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let trimmed = Substring(lineBytes).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            guard let values = scalars(of: trimmed) else {
                // Read again without the check for repeated keys, only to say which problem it is.
                let repeated = if case .object? = try? JSONValue.parse(trimmed) { true } else { false }
                return RecordIssue(line: index + 1, field: nil, message: repeated
                    ? "repeats a key: each field may appear once in a line"
                    : "not a JSON object of text, number, boolean or null values")
            }
            row(index + 1, values)
        }
        return nil
    }
}
