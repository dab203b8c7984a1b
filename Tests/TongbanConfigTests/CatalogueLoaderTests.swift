import Foundation
import Testing
import TongbanCore
@testable import TongbanConfig

/// Golden good and bad directories: the good one loads whole, the bad one reports each mistake at its
/// resource and field.
@Suite struct CatalogueLoaderTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    @Test func goodDirectoryLoads() throws {
        let result = CatalogueLoader.load(path: Self.fixtures + "/catalogue-good.yaml")
        #expect(result.problems.isEmpty, "\(result.problems)")
        let resources = try #require(result.resources)
        #expect(resources.map(\.code) == ["1010010001", "1010030001"])
        let household = resources[0]
        #expect(household.sharing.type == .unconditional)
        #expect(household.field("idNumber")?.codeSystem == .gb11643)
        #expect(household.field("idNumber")?.masking == .idNumber)
        #expect(household.field("members")?.required == false)
        #expect(household.category.kind == .basic && household.category.path == ["人口", "户籍"])
        #expect(resources[1].sharing.condition?.contains("条例") == true)
        #expect(resources[1].openType == .none)
        #expect(resources[1].format == "application/json")
    }

    @Test(arguments: [
        ("resources[0](1010010001).category.kind", "not one of basic, theme, department"),
        ("resources[0](1010010001).subjectField", "names no field"),
        ("resources[0](1010010001).sharing.condition", "must state its condition"),
        ("resources[0](1010010001).updateCycle", "not one of"),
        ("resources[0](1010010001).publishedAt", "YYYY-MM-DD"),
        ("resources[0](1010010001).colour", "unknown key"),
        ("resources[0](1010010001).fields[0](idNumber).masking", "needs a masking rule"),
        ("resources[0](1010010001).fields[1](name).type", "'text' is not one of"),
        ("resources[0](1010010001).fields[2](name).name", "listed twice"),
        ("resources[0](1010010001).fields[3](note).masking", "only a sensitive field"),
        ("resources[0](1010010001).fields[4](age).codeSystem", "only a field of type code"),
        ("resources[1](1010010001).code", "used twice"),
        ("resources[1](1010010001).subjectField", "must be required"),
    ])
    func badDirectoryNamesResourceAndField(_ key: String, _ message: String) {
        let result = CatalogueLoader.load(path: Self.fixtures + "/catalogue-bad.yaml")
        #expect(result.resources == nil)
        let problem = result.problems.first { $0.key == key }
        #expect(problem != nil, "no problem at \(key): \(result.problems.map(\.description).joined(separator: "\n"))")
        #expect(problem?.message.contains(message) == true, "\(String(describing: problem))")
        #expect(problem?.line != nil)
    }

    @Test func missingFileIsReported() {
        #expect(CatalogueLoader.load(path: "/nonexistent.yaml").problems.first?.message.contains("no such file") == true)
    }
}
