import CSV
#if canImport(Glibc)
import Glibc
#endif
import Foundation
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
        case records(rows: Int, [(subject: String, fieldsJSON: String)])
        case refused(ImportReport)
    }

    func run(resource: CatalogueResource, format: Format, data: Data) async throws(TongbanError) -> ImportReport {
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

    static func prepare(resource: CatalogueResource, format: Format, data: Data, since start: ContinuousClock.Instant) -> Prepared {
        var issues: [RecordIssue] = []
        var issueCount = 0
        func note(_ issue: RecordIssue) {
            issueCount += 1
            if issues.count < Self.listedIssues { issues.append(issue) }
        }
        let rows: [(line: Int, values: [String: String?])]
        switch Self.parse(data, format: format) {
        case .success(let parsed): rows = parsed
        case .failure(let issue): return .refused(ImportReport(resource: resource.code, ok: false, rows: 0, errors: [issue], errorCount: 1))
        }
        let validator = RecordValidator(resource: resource)
        var records: [(subject: String, fieldsJSON: String)] = []
        records.reserveCapacity(rows.count)
        var firstLine: [String: Int] = [:]
        for row in rows {
            switch validator.validate(row.values, line: row.line) {
            case .failure(let rowIssues): rowIssues.forEach(note)
            case .success(let valid):
                if let first = firstLine[valid.subject] {
                    note(RecordIssue(line: row.line, field: resource.subjectField, message: "duplicate subject: the same as line \(first)"))
                    continue
                }
                firstLine[valid.subject] = row.line
                records.append((valid.subject, JSONValue.object(valid.fields).canonicalText))
            }
        }
        guard issueCount == 0 else {
            return .refused(ImportReport(resource: resource.code, ok: false, rows: rows.count, errors: issues, errorCount: issueCount,
                                         seconds: Self.seconds(since: start)))
        }
        return .records(rows: rows.count, records)
    }

    /// Returns freed heap pages to the system (glibc keeps them otherwise: a 1,000,000-row import left the
    /// daemon at 1.4 GiB resident in the benchmark).
    static func returnFreedMemory() {
        #if canImport(Glibc)
        // glibc's malloc_trim(3); <malloc.h> is not in Swift's Glibc module, so it is looked up by name.
        typealias MallocTrim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        }
        #endif
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    enum Parsed {
        case success([(line: Int, values: [String: String?])])
        case failure(RecordIssue)
    }

    static func parse(_ data: Data, format: Format) -> Parsed {
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(RecordIssue(line: 1, field: nil, message: "the file is not UTF-8 text"))
        }
        switch format {
        case .csv: return parseCSV(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        case .jsonl: return parseJSONLines(text)
        }
    }

    static func parseCSV(_ text: String) -> Parsed {
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: true) } catch {
            return .failure(RecordIssue(line: 1, field: nil, message: "not a CSV file with a header row"))
        }
        guard let header = reader.headerRow, !header.isEmpty else {
            return .failure(RecordIssue(line: 1, field: nil, message: "the header row is missing"))
        }
        var seen: Set<String> = []
        for name in header where !seen.insert(name).inserted {
            return .failure(RecordIssue(line: 1, field: name, message: "column listed twice in the header"))
        }
        var rows: [(line: Int, values: [String: String?])] = []
        var line = 1 + header.joined().filter { $0 == "\n" }.count
        while let fields = reader.next() {
            line += 1
            if fields.count == 1, fields[0].isEmpty { continue }  // blank line
            guard fields.count == header.count else {
                return .failure(RecordIssue(line: line, field: nil, message: "has \(fields.count) columns, the header \(header.count)"))
            }
            var values: [String: String?] = [:]
            for (name, value) in zip(header, fields) { values[name] = value }
            rows.append((line, values))
            line += fields.joined().filter { $0 == "\n" }.count
        }
        if let error = reader.error {
            return .failure(RecordIssue(line: line + 1, field: nil, message: "CSV syntax error: \(error)"))
        }
        return .success(rows)
    }

    static func parseJSONLines(_ text: String) -> Parsed {
        var rows: [(line: Int, values: [String: String?])] = []
        for (index, lineText) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = lineText.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            guard let object = try? JSONDecoder().decode([String: JSONScalar].self, from: Data(trimmed.utf8)) else {
                return .failure(RecordIssue(line: index + 1, field: nil, message: "not a JSON object of text, number, boolean or null values"))
            }
            var values: [String: String?] = [:]
            for (key, value) in object { values[key] = .some(value.text) }
            rows.append((index + 1, values))
        }
        return .success(rows)
    }
}
