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

    /// A fresh request id: a version 7 UUID (RFC 9562, section 5.7), whose first 48 bits are the Unix time in
    /// milliseconds and whose other 74 (after the version and the variant) come from the system's secure random
    /// source. An id made in a later millisecond sorts later, in bytes and in text.
    ///
    /// Why not version 4: the audit log indexes its entries by request id (`audit_request`, what `tongbanctl audit
    /// show` reads). Random ids land on random leaves of that index, so a group commit of n entries rewrote about n
    /// index pages, and once the index outgrows the page cache each of them is read from disk first. Ids in time
    /// order land on its last leaf. Nothing reads the time back out of an id: the signature's `created` parameter
    /// dates a request.
    public static func timeOrdered(at date: Date = Date()) -> UUID {
        let milliseconds = UInt64(min(max(date.timeIntervalSince1970 * 1_000, 0), 281_474_976_710_655).rounded(.down))
        var generator = SystemRandomNumberGenerator()
        let randomA = generator.next() as UInt64, randomB = generator.next() as UInt64
        let high = milliseconds << 16 | 0x7000 | randomA & 0x0FFF
        let low = randomB & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { out in
            out.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
            out.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
        }
        return UUID(uuid: bytes)
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
