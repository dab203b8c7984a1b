import Foundation
import NIOCore
import Testing
import TongbanConfig
import TongbanCore
import TongbanStore
import TongbanTestKit
@testable import TongbanGateway

/// Parsing and validating an import, row by row, without a daemon: what is kept, and what refuses the file.
@Suite struct RecordImporterTests {
    static func prepare(_ text: String, bytes: [UInt8] = [], format: RecordImporter.Format = .csv) throws -> RecordImporter.Prepared {
        let resource = try #require(CatalogueLoader.parse(yaml: TestCatalogue.yaml()).resources?.first)
        return RecordImporter.prepare(resource: resource, format: format, data: ByteBuffer(bytes: bytes + Array(text.utf8)), since: .now)
    }

    @Test func keepsEveryValidRowPacked() throws {
        let csv = TestCatalogue.csv(count: 500)
        // With a byte-order mark, as spreadsheet programs write CSV.
        guard case .records(let rows, let records) = try Self.prepare(csv, bytes: [0xEF, 0xBB, 0xBF]) else {
            Issue.record("refused"); return
        }
        #expect(rows == 500 && records.count == 500)
        let lines = csv.split(separator: "\n")
        let firstID = String(lines[1].prefix(18)), lastID = String(lines[500].prefix(18))
        #expect(records.subject(at: 0) == firstID && records.subject(at: 499) == lastID)
        #expect(records.fieldsJSON(at: 0).hasPrefix(#"{"county":"#) && records.fieldsJSON(at: 0).contains(#""idNumber":"\#(firstID)""#))

        let jsonl = lines.dropFirst().prefix(3).map { line -> String in
            let v = line.split(separator: ",", omittingEmptySubsequences: false)
            return #"{"idNumber":"\#(v[0])","name":"\#(v[1])","county":"\#(v[2])","members":\#(v[3]),"registrationDate":"\#(v[4])"}"#
        }.joined(separator: "\n")
        guard case .records(3, let fromJSON) = try Self.prepare(jsonl, bytes: [0xEF, 0xBB, 0xBF], format: .jsonl) else {
            Issue.record("JSON Lines refused"); return
        }
        #expect(fromJSON.fieldsJSON(at: 0) == records.fieldsJSON(at: 0))
    }

    @Test func refusesDuplicatesAndBadFilesWithTheirLines() throws {
        let lines = TestCatalogue.csv(count: 4).split(separator: "\n").map(String.init)
        let duplicated = [lines[0], lines[1], lines[2], lines[3], lines[2], lines[4], lines[1]].joined(separator: "\n")
        guard case .refused(let report) = try Self.prepare(duplicated) else { Issue.record("accepted duplicates"); return }
        #expect(!report.ok && report.rows == 6 && report.errorCount == 2)
        #expect(report.errors.map(\.line) == [5, 7])
        #expect(report.errors.map(\.message) == ["duplicate subject: the same as line 3", "duplicate subject: the same as line 2"])

        guard case .refused(let notText) = try Self.prepare("", bytes: Array(lines[0].utf8) + [0x0A, 0xFF, 0xFE]) else {
            Issue.record("accepted bytes that are not UTF-8"); return
        }
        #expect(notText.errors == [RecordIssue(line: 1, field: nil, message: "the file is not UTF-8 text")])

        guard case .refused(let short) = try Self.prepare([lines[0], lines[1], "1,2"].joined(separator: "\n")) else {
            Issue.record("accepted a short row"); return
        }
        #expect(short.errors == [RecordIssue(line: 3, field: nil, message: "has 2 columns, the header 6")] && short.rows == 0)
    }
}
