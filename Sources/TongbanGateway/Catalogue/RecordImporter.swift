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

    /// The outcome of parsing and validating a file: every row ready to store, or the report refusing it.
    enum Prepared: Sendable {
        case records(rows: Int, RecordBatch)
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
        case .records(let rows, let records):
            let (inserted, updated) = try await store.upsert(resource: resource.code, records: records)
            return ImportReport(resource: resource.code, ok: true, rows: rows, inserted: inserted, updated: updated,
                                seconds: Self.seconds(since: start))
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
        let validator = RecordValidator(resource: resource)
        var records = RecordBatch()
        var lines: [Int32] = []
        var subjects = ImportedSubjects(expected: 1024)
        var rows = 0
        let failure = Self.parse(data, format: format) { line, values in
            rows += 1
            switch validator.validate(values, line: line) {
            case .failure(let rowIssues): rowIssues.forEach(note)
            case .success(let valid):
                if let first = subjects.earlier(valid.subject, in: records, newIndex: records.count) {
                    note(RecordIssue(line: line, field: resource.subjectField, message: "duplicate subject: the same as line \(lines[first])"))
                    return
                }
                records.append(subject: valid.subject, fieldsJSON: JSONValue.object(valid.fields).canonicalText)
                lines.append(Int32(clamping: line))
            }
        }
        if let failure {
            return .refused(ImportReport(resource: resource.code, ok: false, rows: 0, errors: [failure], errorCount: 1))
        }
        guard issueCount == 0 else {
            return .refused(ImportReport(resource: resource.code, ok: false, rows: rows, errors: issues, errorCount: issueCount,
                                         seconds: Self.seconds(since: start)))
        }
        return .records(rows: rows, records)
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Reads `data` row by row, handing each row's line and values to `row`; returns the problem that stops the
    /// whole file (not UTF-8, not CSV, a row with the wrong number of columns …), or nil when every row was read.
    static func parse(_ data: ByteBuffer, format: Format, row: (Int, [String: String?]) -> Void) -> RecordIssue? {
        var bytes = data.readableBytesView[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }  // a byte-order mark
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return RecordIssue(line: 1, field: nil, message: "the file is not UTF-8 text")
        }
        switch format {
        case .csv: return parseCSV(text, row: row)
        case .jsonl: return parseJSONLines(text, row: row)
        }
    }

    static func parseCSV(_ text: String, row: (Int, [String: String?]) -> Void) -> RecordIssue? {
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: true) } catch {
            return RecordIssue(line: 1, field: nil, message: "not a CSV file with a header row")
        }
        guard let header = reader.headerRow, !header.isEmpty else {
            return RecordIssue(line: 1, field: nil, message: "the header row is missing")
        }
        var seen: Set<String> = []
        for name in header where !seen.insert(name).inserted {
            return RecordIssue(line: 1, field: name, message: "column listed twice in the header")
        }
        var line = 1 + header.joined().filter { $0 == "\n" }.count
        while let fields = reader.next() {
            line += 1
            if fields.count == 1, fields[0].isEmpty { continue }  // blank line
            guard fields.count == header.count else {
                return RecordIssue(line: line, field: nil, message: "has \(fields.count) columns, the header \(header.count)")
            }
            var values: [String: String?] = [:]
            for (name, value) in zip(header, fields) { values[name] = value }
            row(line, values)
            line += fields.joined().filter { $0 == "\n" }.count
        }
        if let error = reader.error {
            return RecordIssue(line: line + 1, field: nil, message: "CSV syntax error: \(error)")
        }
        return nil
    }

    static func parseJSONLines(_ text: String, row: (Int, [String: String?]) -> Void) -> RecordIssue? {
        for (index, lineText) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = lineText.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            guard let object = try? JSONDecoder().decode([String: JSONScalar].self, from: Data(trimmed.utf8)) else {
                return RecordIssue(line: index + 1, field: nil, message: "not a JSON object of text, number, boolean or null values")
            }
            var values: [String: String?] = [:]
            for (key, value) in object { values[key] = .some(value.text) }
            row(index + 1, values)
        }
        return nil
    }
}
