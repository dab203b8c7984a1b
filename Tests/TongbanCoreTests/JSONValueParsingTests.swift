import Foundation
import Testing
@testable import TongbanCore

/// The hand-written JSON parser the query path uses must read exactly what `JSONDecoder` reads.
@Suite struct JSONValueParsingTests {
    @Test(arguments: [
        #"{"idNumber":"11010519491231002X","name":"张三","age":75,"height":1.72,"alive":true,"note":null}"#,
        #"{"a":[1,2,{"b":[]},{}],"c":"\"quoted\" \\ \/ \b\f\n\r\t \u00e9 \u4e2d \ud83d\ude00"}"#,
        #"  [ -0 , 12e3, -1.5E-2, 1.5e1, 9223372036854775807, 9223372036854775808, 12345678901234567 ]  "#,
        #""only a string""#, "true", "null", "-42",
    ])
    func readsWhatJSONDecoderReads(_ text: String) throws {
        let expected = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(try JSONValue.parse(text) == expected)
    }

    @Test func wholeNumbersAreIntegersAsJSONDecoderReadsThem() throws {
        #expect(try JSONValue.parse("[3, 3.0, 3e0, 3.5, -0]") == .array([.integer(3), .integer(3), .integer(3), .number(3.5), .integer(0)]))
    }

    @Test func roundTripsTheCanonicalWriter() throws {
        let value: JSONValue = ["name": "李\"四\"\n", "fields": ["x", .integer(1), .number(2.5), .bool(true), .null], "empty": [:]]
        #expect(try JSONValue.parse(value.canonicalText) == value)
    }

    /// Numbers outside RFC 8259's grammar, which `Double` would read: found by `make fuzz` (the `json` target,
    /// differential against `JSONSerialization`), where `parseUnambiguous` took `4.` that Foundation refuses.
    @Test(arguments: ["4.", "+1", ".5", "-.5", "01", "-01", "00", "1.e5", "1e", "1e+", "1E-", "[1.]", "{\"a\":+1}", "--1", "1-2", "0x10", "1.5.2"])
    func refusesNumbersOutsideTheGrammar(_ text: String) {
        #expect(throws: TongbanError.self) { try JSONValue.parse(text) }
        #expect(Array(text.utf8).withUnsafeBytes { JSONValue.parseUnambiguous($0) } == nil)
        #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) == nil)
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "\"unterminated", "\"bad \\x escape\"", "tru", "01x", "[1] 2",
                      "\"\u{01}\"", "-", "{1:2}", String(repeating: "[", count: 65) + String(repeating: "]", count: 65)])
    func refusesInvalidText(_ text: String) {
        #expect { try JSONValue.parse(text) } throws: { error in
            (error as? TongbanError)?.code.rawValue == "tongban.json.invalid"
        }
    }

    /// `validate` is the check before `JSONDecoder` reads a peer's body: `JSONDecoder` skips the members it does not
    /// decode without checking them, so `{"known":1,"x":"\x41"}` decoded as if it were JSON (found by the generated
    /// hostile requests, `AdversarialTests`). A repeated key is JSON, and passes.
    @Test(arguments: [(#"{"a":1,"x":"\x41"}"#, false), (#"{"a":1,"x":01}"#, false), (#"{"a":1},"#, false), ("\u{FEFF}{}", false),
                      (#"{"a":1,"a":2}"#, true), (#"{"a":[1,{"b":null}],"c":"\u00e9"}"#, true), ("[\"\u{1}\"]", false)])
    func validateRefusesWhatJSONDecoderSkips(_ text: String, _ valid: Bool) {
        let bytes = Array(text.utf8)
        let passed = bytes.withUnsafeBytes { buffer in (try? JSONValue.validate(buffer)) != nil }
        #expect(passed == valid, "\(text)")
        #expect([0xC0, 0xAF].withUnsafeBytes { buffer in (try? JSONValue.validate(buffer)) == nil }, "overlong UTF-8")
    }
}
