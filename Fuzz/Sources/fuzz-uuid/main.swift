import Foundation
import FuzzSupport
import TongbanCore

// `UUIDText.parse`, differential against Foundation's `UUID(uuidString:)`:
// - Tongban accepts ⇒ Foundation accepts the same UUID, and Tongban's lower-case text is the input in lower case;
// - Foundation accepts and Tongban refuses ⇒ documented only when the text is not the canonical form (36 bytes,
//   hyphens at 8, 13, 18 and 23, hexadecimal digits elsewhere): Foundation's Linux parser goes through `sscanf`,
//   which also takes `" 123ABCD-…"`, `"+123ABCD-…"` or `"0x23ABCD-…"`; Tongban takes the canonical form only.
//   A canonical text that Tongban refuses is a difference.
// Also, from the first 8 bytes as a time: `UUIDText.timeOrdered` writes a version 7 UUID (RFC 9562) whose text reads
// back to it and whose first 48 bits are the time in milliseconds.
Fuzz.run { input in
    let text = String(decoding: input, as: UTF8.self)
    let ours = UUIDText.parse(text)
    let theirs = UUID(uuidString: text)
    if let ours {
        guard theirs == ours else { Fuzz.difference("uuid", "Tongban reads \(ours), Foundation \(String(describing: theirs))", input: input) }
        guard UUIDText.lowercased(ours) == text.lowercased() else { Fuzz.difference("uuid", "written as \(UUIDText.lowercased(ours))", input: input) }
    } else if isCanonical(Array(text.utf8)) {
        Fuzz.difference("uuid", "Tongban refuses a canonical UUID", input: input)
    }

    if input.count >= 8 {
        let milliseconds = input.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } & 0xFFFF_FFFF_FFFF
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1_000)
        let id = UUIDText.timeOrdered(at: date)
        let bytes = withUnsafeBytes(of: id.uuid) { Array($0) }
        let time = bytes.prefix(6).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard UUIDText.parse(UUIDText.lowercased(id)) == id, bytes[6] >> 4 == 7, bytes[8] >> 6 == 2,
              time == UInt64((date.timeIntervalSince1970 * 1_000).rounded(.down)) else {
            Fuzz.difference("uuid", "timeOrdered(\(milliseconds) ms) gave \(id)", input: input)
        }
    }
}

func isCanonical(_ bytes: [UInt8]) -> Bool {
    guard bytes.count == 36 else { return false }
    for (index, byte) in bytes.enumerated() {
        if [8, 13, 18, 23].contains(index) {
            if byte != UInt8(ascii: "-") { return false }
        } else if !(byte >= 0x30 && byte <= 0x39 || byte >= 0x41 && byte <= 0x46 || byte >= 0x61 && byte <= 0x66) {
            return false
        }
    }
    return true
}
