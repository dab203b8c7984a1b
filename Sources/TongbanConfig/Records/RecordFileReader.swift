import CSV
import Foundation
import TongbanCore

/// Reads an import file (`tongbanctl import`) row by row: the text layer under `RecordValidator`. It knows
/// nothing of a resource's fields; it hands a CSV header's columns to `header` (whose problems stop the file
/// before any row) and each row's line and values to `row`, and answers the problems that stop the whole file:
/// empty, not UTF-8, not CSV, a row with the wrong number of columns, a line that is not a JSON object of
/// scalars. Here, apart from the gateway, so that `make fuzz` can drive it (target `import`).
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
            guard let object = try? JSONDecoder().decode([String: JSONScalar].self, from: Data(trimmed.utf8)) else {
                return RecordIssue(line: index + 1, field: nil, message: "not a JSON object of text, number, boolean or null values")
            }
            row(index + 1, object.mapValues(\.value))
        }
        return nil
    }
}
