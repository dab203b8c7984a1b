import Foundation
import Testing
import TongbanConfig
import TongbanCore

/// The matters file's `requiresCaseReference`: read when true or false, absent when not given, refused otherwise.
@Suite struct MattersLoaderTests {
    static func load(_ flag: String?) throws -> (matters: [Matter]?, problems: [ConfigProblem]) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("matters-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let line = flag.map { "    requiresCaseReference: \($0)\n" } ?? ""
        try "matters:\n  - code: household-transfer\n    name: 户口迁移\n\(line)    needs:\n      \"1010010001\": [idNumber, name]\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        return MattersLoader.load(path: path)
    }

    @Test func aMatterMayRequireACaseReference() throws {
        #expect(try Self.load("true").matters?.first?.needsCaseReference == true)
        #expect(try Self.load("false").matters?.first?.requiresCaseReference == false)
        #expect(try Self.load(nil).matters?.first?.requiresCaseReference == nil)
        let wrong = try Self.load("sometimes")
        #expect(wrong.matters == nil && wrong.problems.contains { $0.key.hasSuffix("requiresCaseReference") }, "\(wrong.problems)")
    }
}
