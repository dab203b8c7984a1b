import Foundation
import Testing
import TongbanConfig
import TongbanCore
import TongbanStore
import TongbanTestKit
@testable import TongbanGateway

/// The batch answer's fast path (stored values copied as text) gives exactly the bytes of the general path
/// (decode, select, mask, encode). (The scanner's own tests are in TongbanCoreTests.)
@Suite struct RecordProjectionTests {
    static let resource: CatalogueResource = {
        let loaded = CatalogueLoader.parse(yaml: TestCatalogue.yaml())
        return loaded.resources!.first { $0.code == TestCatalogue.household }!
    }()

    static let stored: [JSONValue] = [
        ["idNumber": "110105194912310021", "name": "王小明", "gender": "男", "birthDate": "1949-12-31", "address": "北京市朝阳区\"幸福\"路\\1号\n2单元", "county": "110105"],
        ["idNumber": "11010519491231002X", "name": "A", "extra": ["nested": [.integer(1), .number(2.5), .bool(true), .null, ["k": "v"]]], "count": .integer(42), "ratio": .number(-0.125)],
        ["name": "", "note": "tab\there \u{1}", "empty": [:], "list": []],
        ["idNumber": "１１０１０５１９４９１２３１００２Ｘ", "name": "Zoë\r\nX", "address": "CR\rLF\nend", "county": .integer(110105)],
    ]

    @Test func fastPathEqualsTheGeneralPath() throws {
        let date = Date(timeIntervalSince1970: 1_764_220_800)
        for value in Self.stored {
            let record = StoredRecord(subject: "S", fieldsJSON: value.canonicalText, updatedAt: date)
            var text = record.fieldsJSON
            var spans: [JSONObjectScanner.Span] = []
            let scanned = text.withUTF8 { JSONObjectScanner.scan($0, into: &spans) }
            #expect(scanned, "canonical text must take the fast path: \(record.fieldsJSON)")
            guard case .object(let object) = value else { continue }
            let names = Set(object.keys)
            for (fields, masked) in [(names, Set<String>()), (names, Set(["idNumber", "name"])), (names, names), (Set(["name", "missing"]), Set(["name"])), (Set<String>(), Set<String>())] {
                var projection = RecordProjection(fields: fields, masked: masked, resource: Self.resource)
                var bytes: [UInt8] = Array("prefix".utf8)
                #expect(projection.append(record, subject: "11010519491231002X", to: &bytes))
                let fast = String(decoding: bytes.dropFirst(6), as: UTF8.self)
                let general = projection.decoding(record, subject: "11010519491231002X")
                #expect(fast == general, "\(fields) \(masked)\nfast:    \(fast)\ngeneral: \(general ?? "nil")")
                let decoded = try JSONCoding.decoder().decode(QueryResponse.Record.self, from: Data(fast.utf8))
                #expect(decoded.subject == "11010519491231002X" && decoded.updatedAt == date)
            }
        }
    }

    /// Texts the scanner refuses still give the general path's answer; text that is no object gives nothing.
    @Test func otherStoredTextTakesTheGeneralPath() {
        let date = Date(timeIntervalSince1970: 1_764_220_800)
        var projection = RecordProjection(fields: ["a", "b", "名"], masked: ["b"], resource: Self.resource)
        for text in [#"{"b":"x","a":2}"#, #"{ "a" : 1 , "名" : "值" }"#, #"{"a":1,"b":"\u0041BC"}"#] {
            let record = StoredRecord(subject: "S", fieldsJSON: text, updatedAt: date)
            var bytes: [UInt8] = []
            #expect(projection.append(record, subject: "S", to: &bytes))
            #expect(String(decoding: bytes, as: UTF8.self) == projection.decoding(record, subject: "S"), "\(text)")
        }
        for text in ["[1]", "{", ""] {
            var bytes: [UInt8] = Array("kept".utf8)
            #expect(!projection.append(StoredRecord(subject: "S", fieldsJSON: text, updatedAt: date), subject: "S", to: &bytes))
            #expect(bytes == Array("kept".utf8))
        }
    }

    /// The fast path's batch answer (`answerNow`: records read in sorted order straight from SQLite's bytes, put back
    /// in the request's order) is byte for byte `answer`'s (records from the dictionary), on a real store: subjects
    /// present and absent in random orders, stored texts the scanner takes, others it does not, and text that is no
    /// JSON object (skipped by both, and not listed as not found).
    @Test func theBatchAnswerFromTheStoresBytesEqualsTheGeneralOne() async throws {
        let directory = try TemporaryDirectory("projection")
        defer { directory.remove() }
        let store = try StateStore(directory: directory.path)
        let resource = Self.resource
        var generator = SeededGenerator(seed: 29)
        var subjects: [String] = []
        var rows: [(subject: String, fieldsJSON: String)] = []
        for index in 0..<400 {
            let subject = CitizenID.make(addressCode: "110105", birthDate: "19800101", sequence: index)
            subjects.append(subject)
            guard index % 4 != 0 else { continue }  // a quarter absent
            let text = switch index % 23 {
            case 1: #"{ "name" : "非规范", "gender": "女" }"#
            case 2: "[1]"
            default: Self.stored[index % Self.stored.count].canonicalText
            }
            rows.append((subject, text))
        }
        _ = try await store.upsert(resource: resource.code, records: rows)
        let decisions = [PolicyDecision.allow("ok", "test", fields: ["name", "gender", "address", "idNumber"], masked: ["idNumber"]),
                         .allow("ok", "test", fields: resource.fields.map(\.name), masked: [])]
        for round in 0..<40 {
            let count = [1, 2, 10, 100, 400][round % 5]
            let asked = Array(subjects.shuffled(using: &generator).prefix(count))
            let ascending = ExchangeHandlers.lookupOrder(asked)
            let decision = decisions[round % 2]
            let found = try await store.records(resource: resource.code, subjects: asked)
            let general = ExchangeHandlers.answer(subjects: asked, found: found, decision: decision, resource: resource)
            let fast = try ExchangeHandlers.answerNow(subjects: asked, ascending: ascending, decision: decision, resource: resource, store: store)
            #expect(fast.records == general.records)
            #expect(fast.body == general.body, "round \(round): \(count) subjects")
        }
        await store.close()
    }
}
