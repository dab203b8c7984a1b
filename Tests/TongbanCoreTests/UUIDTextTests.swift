import Foundation
import Testing
@testable import TongbanCore

/// Request ids are read and written by `UUIDText` on every exchange: the same UUIDs as Foundation for the canonical
/// form, nothing else accepted.
@Suite struct UUIDTextTests {
    @Test func canonicalTextRoundTripsAsFoundationReadsIt() {
        for _ in 0..<2_000 {
            let uuid = UUID()
            let lower = UUIDText.lowercased(uuid)
            #expect(lower == uuid.uuidString.lowercased())
            #expect(UUIDText.parse(lower) == uuid)
            #expect(UUIDText.parse(uuid.uuidString) == uuid)
            #expect(UUIDText.parse(lower) == UUID(uuidString: lower))
        }
        #expect(UUIDText.lowercased(UUID(uuid: (0, 1, 0x0f, 0x10, 0x7f, 0x80, 0xab, 0xff, 0, 0, 0, 0, 0, 0, 0xfe, 0xdc)))
                == "00010f10-7f80-abff-0000-00000000fedc")
    }

    /// Foundation's Linux parser (through `sscanf`) reads several of these as UUIDs; none is one.
    @Test(arguments: [
        "", "not-a-uuid", " 123abcd-0123-0123-0123-0123456789ab", "+123abcd-0123-0123-0123-0123456789ab",
        "0x23abcd-0123-0123-0123-0123456789ab", "0123abcd-+123-0123-0123-0123456789ab", "0123abcd-0123-0123-0123-0123456789a ",
        "0123abcd-0123-0123-0123-0123456789abc", "0123abcd-0123-0123-0123-0123456789a", "0123abcd0-123-0123-0123-0123456789ab",
        "0123abcd-0123-0123-0123-0123456789ag", "{0123abcd-0123-0123-0123-0123456789ab}", "0123abcd_0123_0123_0123_0123456789ab",
        "０123abcd-0123-0123-0123-0123456789a",
    ])
    func refusesWhatIsNotTheCanonicalForm(_ text: String) {
        #expect(UUIDText.parse(text) == nil)
    }

    /// Every single-character change of a valid id is either still a valid id (another hex digit) or refused.
    @Test func everySingleCharacterChangeIsCaught() throws {
        let text = "0123abcd-4567-89ef-0123-456789abcdef"
        let original = try #require(UUIDText.parse(text))
        let hex = Set("0123456789abcdefABCDEF")
        for index in text.indices {
            for replacement in ["-", "g", " ", "+", "x", "0", "F", "é"] where String(text[index]) != replacement {
                var changed = text
                changed.replaceSubrange(index...index, with: replacement)
                let stillHex = text[index] != "-" && hex.contains(Character(replacement))
                let parsed = UUIDText.parse(changed)
                if stillHex {
                    #expect(parsed != nil && parsed != original || replacement.lowercased() == String(text[index]), "\(changed)")
                } else {
                    #expect(parsed == nil, "\(changed)")
                }
            }
        }
    }

    /// Request ids are version 7 UUIDs: the time in their first 48 bits, RFC 9562's version and variant bits, the
    /// rest random; a later millisecond sorts later as text, which is what keeps the audit index's inserts at its end.
    @Test func timeOrderedIdsCarryTheirMillisecondAndSortByIt() throws {
        let date = Date(timeIntervalSince1970: 1_796_565_553.856_731)
        let uuid = UUIDText.timeOrdered(at: date)
        let bytes = withUnsafeBytes(of: uuid.uuid) { Array($0) }
        let milliseconds = bytes[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(milliseconds == 1_796_565_553_856)
        #expect(bytes[6] >> 4 == 7)
        #expect(bytes[8] >> 6 == 0b10)
        let text = UUIDText.lowercased(uuid)
        #expect(text.hasPrefix("01a24ba6-d2c0-7"))
        #expect(UUIDText.parse(text) == uuid)

        var previous = UUIDText.lowercased(UUIDText.timeOrdered(at: date))
        for step in 1...1_000 {
            let next = UUIDText.lowercased(UUIDText.timeOrdered(at: date.addingTimeInterval(Double(step) / 1_000)))
            #expect(previous < next, "\(previous) then \(next)")
            previous = next
        }
        #expect(UUIDText.lowercased(UUIDText.timeOrdered(at: Date(timeIntervalSince1970: -5))).hasPrefix("00000000-0000-7"))
    }

    /// Within one millisecond the 74 random bits still make every id different.
    @Test func timeOrderedIdsInOneMillisecondDiffer() {
        let date = Date()
        let ids = Set((0..<10_000).map { _ in UUIDText.timeOrdered(at: date) })
        #expect(ids.count == 10_000)
        let prefixes = Set(ids.map { UUIDText.lowercased($0).prefix(13) })
        #expect(prefixes.count == 1)
    }
}
