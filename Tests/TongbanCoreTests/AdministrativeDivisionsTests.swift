import Foundation
import Testing
@testable import TongbanCore

@Suite struct AdministrativeDivisionsTests {
    /// The embedded table must be exactly the TSV shipped beside it (`make divisions` regenerates it).
    @Test func embeddedTableMatchesTheTSVFile() throws {
        let tsvURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/TongbanCore/Divisions/gb2260-codes.tsv")
        let text = try String(contentsOf: tsvURL, encoding: .utf8)
        let rows = text.split(separator: "\n").dropFirst()
        let fromFile = AdministrativeDivisions(tsv: rows.joined(separator: "\n"))
        #expect(fromFile.divisions == AdministrativeDivisions.shared.divisions)
        #expect(AdministrativeDivisions.shared.divisions.count == 7042)
    }

    @Test func countiesOfAProvince() throws {
        let counties = AdministrativeDivisions.shared.counties(in: try ProvinceCode("11"))
        #expect(counties.contains { $0.code == "110105" && $0.name == "朝阳区" })
        #expect(counties.allSatisfy { $0.code.hasPrefix("11") && $0.isCounty })
    }
}
