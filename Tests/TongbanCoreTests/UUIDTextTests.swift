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
}
