import Foundation
import Testing
@testable import TongbanCore

/// The allocation-light helpers that replaced Foundation formatters on the hot path give the same text.
@Suite struct EncodingHelpersTests {
    @Test func hexMatchesFormatting() {
        let bytes: [UInt8] = [0x00, 0x01, 0x0f, 0x10, 0x7f, 0x80, 0xab, 0xff]
        #expect(bytes.hexString == bytes.map { String(format: "%02x", $0) }.joined())
        #expect([UInt8]().hexString == "")
    }

    @Test(arguments: [0.0, 1_700_000_000.6, 946_684_799, 4_102_444_800, 1_234_567_890.999, 951_782_400, -11_000_000_000])
    func iso8601MatchesTheEncoder(_ seconds: Double) throws {
        let date = Date(timeIntervalSince1970: seconds)
        let encoded = try JSONCoding.encoder().encode([date])
        #expect("[\"\(ISO8601.string(date))\"]" == String(decoding: encoded, as: UTF8.self))
    }

    /// Every control character, quotes, backslashes, slashes and non-ASCII text: `JSONText` writes strings exactly as
    /// `JSONEncoder` does, as a `String` and as UTF-8 bytes.
    @Test func jsonTextStringsMatchTheEncoder() throws {
        let controls = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        let values = ["", "plain", "王小明", "a\"b", "back\\slash", "path/to", controls, "mixed \u{7F} é\t\"末\"\n", "\u{1F600}\\"]
        for value in values {
            let expected = String(decoding: try JSONCoding.encoder().encode([value]), as: UTF8.self)
            var text = ""
            JSONText.appendStrings([value], to: &text)
            var bytes: [UInt8] = []
            JSONText.appendStrings([value], to: &bytes)
            #expect(text == expected, "\(value.debugDescription)")
            #expect(String(decoding: bytes, as: UTF8.self) == expected, "\(value.debugDescription)")
        }
        var several: [UInt8] = []
        JSONText.appendStrings(values, to: &several)
        #expect(String(decoding: several, as: UTF8.self) == String(decoding: try JSONCoding.encoder().encode(values), as: UTF8.self))
    }
}
