import CSV
import Foundation
import NIOCore
import NIOPosix
import TongbanCore
import TongbanStore

/// `tongbanctl import`: parses a CSV (header row) or JSON Lines file, validates every row against the
/// resource, and writes all rows in one transaction — or, when any row is wrong, reports every problem with
/// its line and field and changes nothing.
struct RecordImporter {
    enum Format: String, Sendable {
        case csv, jsonl
    }

    /// At most this many issues are listed; the count covers them all.
    static let listedIssues = 1000

    let store: StateStore

    /// The outcome of parsing and validating a file: every row ready to store with the report so far (rows,
    /// conversions) for `run` to complete, or the report refusing it.
    enum Prepared: Sendable {
        case records(RecordBatch, ImportReport)
        case refused(ImportReport)
    }

    func run(resource: CatalogueResource, format: Format, data: ByteBuffer) async throws(TongbanError) -> ImportReport {
        let start = ContinuousClock.now
        // Parsing and validating a large file takes seconds of CPU: that runs on NIO's blocking thread pool, not
        // on the event loops (which also run the daemon's Swift concurrency jobs), so peers are served meanwhile.
        let prepared: Prepared
        do {
            prepared = try await NIOThreadPool.singleton.runIfActive { Self.prepare(resource: resource, format: format, data: data, since: start) }
        } catch {
            throw TongbanError(.internalError, "the import could not be scheduled: \(error)")
        }
        switch prepared {
        case .refused(let report):
            return report
        case .records(let records, var report):
            (report.inserted, report.updated, report.unchanged) = try await store.upsert(resource: resource.code, records: records)
            report.seconds = Self.seconds(since: start)
            return report
        }
    }

    /// Parses and validates row by row: a row is checked as soon as it is read and only what will be stored is
    /// kept, packed (`RecordBatch`). (Keeping every parsed row first, as a dictionary, took ≈ 1.7 GB for 10⁶ rows.)
    static func prepare(resource: CatalogueResource, format: Format, data: ByteBuffer, since start: ContinuousClock.Instant) -> Prepared {
        var issues: [RecordIssue] = []
        var issueCount = 0
        func note(_ issue: RecordIssue) {
            issueCount += 1
            if issues.count < Self.listedIssues { issues.append(issue) }
        }
        var conversions: [RecordIssue] = []
        var converted = 0
        let validator = RecordValidator(resource: resource)
        var records = RecordBatch()
        var lines: [Int32] = []
        var subjects = ImportedSubjects(expected: 1024)
        // The records whose subject was a 15-digit number (few), so that a duplicate can say why it is one.
        var legacySubjects: Set<Int32> = []
        var rows = 0
        let stop = Self.parse(data, format: format, header: validator.headerIssues) { line, values in
            rows += 1
            switch validator.validate(values, line: line) {
            case .failure(let rowIssues): rowIssues.forEach(note)
            case .success(let valid):
                let legacy = valid.converted.contains(resource.subjectField)
                if let first = subjects.earlier(valid.subject, in: records, newIndex: records.count) {
                    let why = legacy || legacySubjects.contains(Int32(first)) ? " (one of them a 15-digit number, read as its 18-character form)" : ""
                    note(RecordIssue(line: line, field: resource.subjectField, message: "duplicate subject: the same as line \(lines[first])\(why)"))
                    return
                }
                if legacy { legacySubjects.insert(Int32(records.count)) }
                for field in valid.converted {
                    converted += 1
                    if conversions.count < Self.listedIssues {
                        conversions.append(RecordIssue(line: line, field: field, message: "a 15-digit ID number, stored as its 18-character form"))
                    }
                }
                records.append(subject: valid.subject, fieldsJSON: JSONValue.object(valid.fields).canonicalText)
                lines.append(Int32(clamping: line))
            }
        }
        stop.forEach(note)
        if issueCount == 0, rows == 0 { note(RecordIssue(line: 1, field: nil, message: "no rows after the header: nothing to import")) }
        guard issueCount == 0 else {
            return .refused(ImportReport(resource: resource.code, ok: false, rows: rows, errors: issues, errorCount: issueCount,
                                         stoppedAt: stop.first?.line, seconds: Self.seconds(since: start)))
        }
        return .records(records, ImportReport(resource: resource.code, ok: true, rows: rows, converted: converted, conversions: conversions))
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Reads `data` row by row, handing a CSV header's columns to `header` (whose problems stop the file before any
    /// row) and each row's line and values to `row`; returns the problems that stop the whole file (empty, not
    /// UTF-8, not CSV, a row with the wrong number of columns …), or none when every row was read.
    static func parse(_ data: ByteBuffer, format: Format, header: ([String]) -> [RecordIssue],
                      row: (Int, [String: ImportedValue]) -> Void) -> [RecordIssue] {
        var bytes = data.readableBytesView[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }  // a byte-order mark
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return [RecordIssue(line: 1, field: nil, message: "the file is not UTF-8 text")]
        }
        // Checked here, so that a file of 0 bytes and one of blank lines fail alike in both formats.
        guard text.contains(where: { !$0.isWhitespace }) else {
            return [RecordIssue(line: 1, field: nil, message: "the file is empty: no rows to import")]
        }
        switch format {
        case .csv: return parseCSV(text, header: header, row: row)
        case .jsonl: return parseJSONLines(text, row: row).map { [$0] } ?? []
        }
    }

    static func parseCSV(_ text: String, header check: ([String]) -> [RecordIssue], row: (Int, [String: ImportedValue]) -> Void) -> [RecordIssue] {
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
        var line = 1 + header.joined().filter { $0 == "\n" }.count
        while let fields = reader.next() {
            line += 1
            if fields.count == 1, fields[0].isEmpty { continue }  // blank line
            guard fields.count == header.count else {
                return [RecordIssue(line: line, field: nil, message: "has \(fields.count) columns, the header \(header.count)")]
            }
            var values: [String: ImportedValue] = [:]
            for (name, value) in zip(header, fields) { values[name] = .text(value) }
            row(line, values)
            line += fields.joined().filter { $0 == "\n" }.count
        }
        if let error = reader.error {
            return [RecordIssue(line: line + 1, field: nil, message: "CSV syntax error: \(error)")]
        }
        return []
    }

    static func parseJSONLines(_ text: String, row: (Int, [String: ImportedValue]) -> Void) -> RecordIssue? {
        for (index, lineText) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = lineText.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            guard let object = try? JSONDecoder().decode([String: JSONScalar].self, from: Data(trimmed.utf8)) else {
                return RecordIssue(line: index + 1, field: nil, message: "not a JSON object of text, number, boolean or null values")
            }
            row(index + 1, object.mapValues(\.value))
        }
        return nil
    }
}
