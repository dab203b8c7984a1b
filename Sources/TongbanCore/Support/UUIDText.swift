import Foundation

/// UUIDs in their canonical text form, `8-4-4-4-12` hexadecimal digits, read and written without Foundation's
/// Linux parser: that one goes through `sscanf`, which made it a per-request cost in the benchmark's profile,
/// and accepts text that is not a UUID (`" 123ABCD-…"`, `"+123ABCD-…"` and `"0x23ABCD-…"` parse, the first to a
/// different UUID). Here only the 36-character form with hyphens at 8, 13, 18 and 23 is a UUID, in either case.
public enum UUIDText {
    /// The UUID `text` spells, or nil when it is not exactly the canonical form.
    public static func parse(_ text: String) -> UUID? {
        var text = text
        return text.withUTF8 { utf8 -> UUID? in
            guard utf8.count == 36 else { return nil }
            var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let parsed = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
                var index = 0
                var byte = 0
                while index < 36 {
                    if index == 8 || index == 13 || index == 18 || index == 23 {
                        guard utf8[index] == UInt8(ascii: "-") else { return false }
                        index += 1
                        continue
                    }
                    guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return false }
                    out[byte] = high << 4 | low
                    byte += 1
                    index += 2
                }
                return true
            }
            return parsed ? UUID(uuid: bytes) : nil
        }
    }

    /// The canonical text of `uuid` in lower case (Foundation's `uuidString` is upper case).
    public static func lowercased(_ uuid: UUID) -> String {
        let digits: StaticString = "0123456789abcdef"
        return withUnsafeBytes(of: uuid.uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                digits.withUTF8Buffer { hex in
                    var position = 0
                    for (index, byte) in bytes.enumerated() {
                        if index == 4 || index == 6 || index == 8 || index == 10 {
                            out[position] = UInt8(ascii: "-")
                            position += 1
                        }
                        out[position] = hex[Int(byte >> 4)]
                        out[position + 1] = hex[Int(byte & 0x0F)]
                        position += 2
                    }
                    return position
                }
            }
        }
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
