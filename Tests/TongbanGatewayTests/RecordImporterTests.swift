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
        guard case .records(let records, let report) = try Self.prepare(csv, bytes: [0xEF, 0xBB, 0xBF]) else {
            Issue.record("refused"); return
        }
        #expect(report.ok && report.rows == 500 && records.count == 500 && report.converted == 0)
        let lines = csv.split(separator: "\n")
        let firstID = String(lines[1].prefix(18)), lastID = String(lines[500].prefix(18))
        #expect(records.subject(at: 0) == firstID && records.subject(at: 499) == lastID)
        #expect(records.fieldsJSON(at: 0).hasPrefix(#"{"county":"#) && records.fieldsJSON(at: 0).contains(#""idNumber":"\#(firstID)""#))

        let jsonl = lines.dropFirst().prefix(3).map { line -> String in
            let v = line.split(separator: ",", omittingEmptySubsequences: false)
            return #"{"idNumber":"\#(v[0])","name":"\#(v[1])","county":"\#(v[2])","members":\#(v[3]),"registrationDate":"\#(v[4])"}"#
        }.joined(separator: "\n")
        guard case .records(let fromJSON, let jsonReport) = try Self.prepare(jsonl, bytes: [0xEF, 0xBB, 0xBF], format: .jsonl),
              jsonReport.rows == 3 else {
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
        #expect(short.errors == [RecordIssue(line: 3, field: nil, message: "has 2 columns, the header 6")] && short.rows == 1 && short.stoppedAt == 3)
    }

    /// Files written on Windows end their lines with CR LF. In Swift "\r\n" is one Character, so a JSON Lines reader
    /// that split a String on "\n" saw one line and refused the file (found while writing `make fuzz`'s `import` target).
    @Test func windowsLineEndingsReadAsLines() throws {
        let csv = TestCatalogue.csv(count: 3).split(separator: "\n").joined(separator: "\r\n") + "\r\n"
        guard case .records(let records, let report) = try Self.prepare(csv) else { Issue.record("CSV with CR LF refused"); return }
        #expect(report.rows == 3 && records.count == 3)

        let ids = (1...3).map { CitizenID.make(addressCode: "110101", birthDate: "19800101", sequence: $0) }
        let jsonl = ids.map { Self.jsonRow($0) }.joined(separator: "\r\n") + "\r\n"
        guard case .records(let fromJSON, let jsonReport) = try Self.prepare(jsonl, format: .jsonl) else {
            Issue.record("JSON Lines with CR LF refused"); return
        }
        #expect(jsonReport.rows == 3 && fromJSON.subject(at: 2) == ids[2])

        // A bad row still gets its own line number.
        let bad = [Self.jsonRow(ids[0]), "{not json}", Self.jsonRow(ids[1])].joined(separator: "\r\n")
        guard case .refused(let refused) = try Self.prepare(bad, format: .jsonl) else { Issue.record("accepted a bad line"); return }
        #expect(refused.errors.map(\.line) == [2])
    }

    /// CSV.swift also ends a row at a lone CR (old Mac files). A problem's line number counts every line end, inside a
    /// quoted value too, where only LF used to be counted: a note holding a lone CR put every later row's number one
    /// line early (found while `make fuzz`'s `import` target was taught to count lines as CSV.swift does).
    @Test func csvLineNumbersCountEveryLineEnd() throws {
        let lines = TestCatalogue.csv(count: 2).split(separator: "\n").map(String.init)
        let crOnly = [lines[0], lines[1], "1,2", lines[2]].joined(separator: "\r")
        guard case .refused(let report) = try Self.prepare(crOnly) else { Issue.record("accepted a short row"); return }
        #expect(report.errors == [RecordIssue(line: 3, field: nil, message: "has 2 columns, the header 6")])

        let quoted = [lines[0], Self.csvRow(lines[1].prefix(18).description, note: "\"一\r二\r\n三\n四\""), "1,2"].joined(separator: "\r\n")
        guard case .refused(let afterQuote) = try Self.prepare(quoted) else { Issue.record("accepted a short row"); return }
        #expect(afterQuote.errors.map(\.line) == [6])  // the row spans lines 2–5: CR, CR LF and LF in its note
    }

    /// A JSON line that repeats a key is refused: JSONDecoder kept one of the values without reading the other, so
    /// `{"name":"甲",…,"name":"乙"}` was stored with one of them, and a repeated key's value could hold what JSON does
    /// not allow (a raw NUL, `12.`): found by `make fuzz`'s `import` target.
    @Test func aJSONLineThatRepeatsAKeyIsRefused() throws {
        let id = CitizenID.make(addressCode: "110101", birthDate: "19800101", sequence: 5)
        let repeated = Self.jsonRow(id).dropLast() + #","name":"李四"}"#
        let invalidValue = Self.jsonRow(id).dropLast() + #","members":12.}"#
        for (line, message) in [(String(repeated), "repeats a key: each field may appear once in a line"),
                                (String(invalidValue), "not a JSON object of text, number, boolean or null values")] {
            guard case .refused(let report) = try Self.prepare([Self.jsonRow(CitizenID.make(addressCode: "110101", birthDate: "19800101", sequence: 6)),
                                                                line].joined(separator: "\n"), format: .jsonl) else {
                Issue.record("accepted \(line)"); continue
            }
            #expect(report.errors == [RecordIssue(line: 2, field: nil, message: message)])
        }
        // Integers written as 3.0 stay integers, as JSONDecoder read them.
        guard case .records(let records, _) = try Self.prepare(Self.jsonRow(id, members: "3.0"), format: .jsonl) else {
            Issue.record("refused members 3.0"); return
        }
        #expect(records.fieldsJSON(at: 0).contains(#""members":3"#))
    }

    static let header = "idNumber,name,county,members,registrationDate,note"
    static func csvRow(_ id: String, name: String = "张三", note: String = "") -> String { "\(id),\(name),110101,3,2010-05-01,\(note)" }
    static func jsonRow(_ id: String, name: String = #""张三""#, members: String = "3") -> String {
        #"{"idNumber":"\#(id)","name":\#(name),"county":"110101","members":\#(members),"registrationDate":"2010-05-01"}"#
    }
    static let legacy = "110101800101103"
    static let legacyAs18 = CitizenID.make(addressCode: "110101", birthDate: "19800101", sequence: 103)

    /// A legacy 15-digit number is stored as its 18-character form, and the report says so by line and field (never
    /// the number).
    @Test func legacyNumbersAreConvertedAndReported() throws {
        let other = CitizenID.make(addressCode: "110101", birthDate: "19800101", sequence: 7)
        for (text, format) in [([Self.header, Self.csvRow(other), Self.csvRow(Self.legacy)].joined(separator: "\n"), RecordImporter.Format.csv),
                               ([Self.jsonRow(other), Self.jsonRow(Self.legacy)].joined(separator: "\n"), .jsonl)] {
            guard case .records(let records, let report) = try Self.prepare(text, format: format) else { Issue.record("refused"); return }
            let line = format == .csv ? 3 : 2
            #expect(records.subject(at: 1) == Self.legacyAs18)
            #expect(report.converted == 1)
            #expect(report.conversions
                    == [RecordIssue(line: line, field: "idNumber", message: "a 15-digit ID number, stored as its 18-character form")])
            #expect(!"\(report)".contains(Self.legacy) && !"\(report)".contains(Self.legacyAs18))
        }
    }

    /// A 15-digit number and its 18-character form in one file are one subject: refused as a duplicate, with both
    /// lines and why.
    @Test func aLegacyNumberAndItsEighteenCharacterFormAreOneSubject() throws {
        let text = [Self.header, Self.csvRow(Self.legacyAs18), Self.csvRow(Self.legacy)].joined(separator: "\n")
        guard case .refused(let report) = try Self.prepare(text) else { Issue.record("accepted both forms"); return }
        let message = "duplicate subject: the same as line 2 (one of them a 15-digit number, read as its 18-character form)"
        #expect(report.errors == [RecordIssue(line: 3, field: "idNumber", message: message)])
    }

    /// CSV and JSON Lines trim the whitespace around every value alike; a value of whitespace only is absent.
    @Test func csvAndJSONLinesTrimEveryValueAlike() throws {
        let id = CitizenID.make(addressCode: "110101", birthDate: "19800101", sequence: 7)
        let csv = [Self.header, Self.csvRow(id, name: " 空格 ", note: "\u{3000}")].joined(separator: "\n")
        guard case .records(let fromCSV, _) = try Self.prepare(csv),
              case .records(let fromJSON, _) = try Self.prepare(Self.jsonRow(" \(id) ", name: #"" 空格 ""#), format: .jsonl) else {
            Issue.record("refused"); return
        }
        #expect(fromCSV.fieldsJSON(at: 0).contains(#""name":"空格""#) && !fromCSV.fieldsJSON(at: 0).contains("note"), "\(fromCSV.fieldsJSON(at: 0))")
        #expect(fromJSON.fieldsJSON(at: 0) == fromCSV.fieldsJSON(at: 0))
    }

    /// In JSON Lines a value has its field's JSON type: text fields (string, date, code) a string, integer and
    /// decimal fields a number, boolean fields true or false; anything else is refused with its line and field.
    @Test(arguments: [
        (#"true"#, "3", "name", "must be a JSON string, not a boolean"),
        (#"12"#, "3", "name", "must be a JSON string, not a number"),
        (#""张三""#, #""3""#, "members", "must be a JSON number, not a string"),
        (#""张三""#, "true", "members", "must be a JSON number, not a boolean"),
    ])
    func jsonLinesValuesMustHaveTheirFieldsType(name: String, members: String, field: String, message: String) throws {
        let id = CitizenID.make(addressCode: "110101", birthDate: "19800101", sequence: 7)
        guard case .refused(let report) = try Self.prepare(Self.jsonRow(id, name: name, members: members), format: .jsonl) else {
            Issue.record("accepted \(field) as \(name) \(members)"); return
        }
        #expect(report.errors == [RecordIssue(line: 1, field: field, message: message)])
    }

    /// A file without rows is refused, whatever the format and however it is empty.
    @Test(arguments: [
        ("", RecordImporter.Format.csv, "the file is empty: no rows to import"),
        ("\n", .csv, "the file is empty: no rows to import"),
        ("\u{FEFF}\r\n", .csv, "the file is empty: no rows to import"),
        ("idNumber,name,county,members,registrationDate,note\n", .csv, "no rows after the header: nothing to import"),
        ("idNumber,name,county,members,registrationDate,note\n\n\n", .csv, "no rows after the header: nothing to import"),
        ("", .jsonl, "the file is empty: no rows to import"),
        ("\n \n", .jsonl, "the file is empty: no rows to import"),
    ])
    func aFileWithoutRowsIsRefused(text: String, format: RecordImporter.Format, message: String) throws {
        guard case .refused(let report) = try Self.prepare(text, format: format) else { Issue.record("accepted no rows"); return }
        #expect(report.errors == [RecordIssue(line: 1, field: nil, message: message)] && report.errorCount == 1 && report.rows == 0)
    }

    /// A header naming a column the resource lacks, or lacking a required one, is reported once, at line 1, and no
    /// row is read (it used to be reported once per row: 11,200 errors for 5,600 rows).
    @Test func aMisspeltHeaderIsReportedOnce() throws {
        let rows = TestCatalogue.csv(count: 5_600).split(separator: "\n").dropFirst()
        let text = (["idNumber,nmae,county,members,registrationDate,note"] + rows).joined(separator: "\n")
        guard case .refused(let report) = try Self.prepare(text) else { Issue.record("accepted a misspelt header"); return }
        #expect(report.errorCount == 2 && report.rows == 0 && report.stoppedAt == 1, "\(report.errors.prefix(4))")
        #expect(report.errors == [RecordIssue(line: 1, field: "nmae", message: "is not a field of resource \(TestCatalogue.household)"),
                                  RecordIssue(line: 1, field: "name", message: "missing from the header (required)")])
    }

    /// A line that stops the file (not JSON, a short CSV row) is reported after the problems of the rows before it,
    /// and the report counts the rows that were read.
    @Test func aFileThatStopsCountsTheRowsRead() throws {
        let id = CitizenID.make(addressCode: "110101", birthDate: "19800101", sequence: 7)
        let other = CitizenID.make(addressCode: "110101", birthDate: "19800101", sequence: 9)
        let lines = [Self.jsonRow(id), Self.jsonRow(other, members: #""x""#), "{nope", Self.jsonRow(id)]
        guard case .refused(let json) = try Self.prepare(lines.joined(separator: "\n"), format: .jsonl) else {
            Issue.record("accepted a broken line"); return
        }
        #expect(json.errors.map(\.line) == [2, 3] && json.errorCount == 2 && json.rows == 2 && json.stoppedAt == 3, "\(json)")

        guard case .refused(let csv) = try Self.prepare([Self.header, Self.csvRow(id), "1,2", Self.csvRow(other)].joined(separator: "\n")) else {
            Issue.record("accepted a short row"); return
        }
        #expect(csv.errors == [RecordIssue(line: 3, field: nil, message: "has 2 columns, the header 6")], "\(csv)")
        #expect(csv.rows == 1 && csv.stoppedAt == 3)
    }
}
