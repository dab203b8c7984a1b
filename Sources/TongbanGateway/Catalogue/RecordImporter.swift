import Foundation
import NIOCore
import NIOPosix
import TongbanConfig
import TongbanCore
import TongbanStore

/// `tongbanctl import`: parses a CSV (header row) or JSON Lines file, validates every row against the
/// resource, and writes all rows in one transaction — or, when any row is wrong, reports every problem with
/// its line and field and changes nothing.
struct RecordImporter {
    typealias Format = RecordFileFormat

    /// At most this many issues are listed; the count covers them all.
    static let listedIssues = 1000

    let store: any ProvinceStore

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
        let stop = RecordFileReader.read(data.readableBytesView, format: format, header: validator.headerIssues) { line, values in
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
}
