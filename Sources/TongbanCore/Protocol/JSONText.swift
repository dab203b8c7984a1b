/// JSON text written the way Foundation's `JSONEncoder` writes it (`.sortedKeys`, `.withoutEscapingSlashes`):
/// the short escapes `\" \\ \b \f \n \r \t`, `\u00xx` for other control characters, everything else as is;
/// a `Double` as its shortest description without a trailing `.0`. Hand-written documents on the hot path
/// (the audit chain, query answers) use it so their bytes equal what `JSONEncoder` would have produced.
public enum JSONText {
    public static func appendString(_ value: String, to out: inout String) {
        // Most values need no escape at all: check the contiguous UTF-8 in one pass and append the string whole.
        let plain = value.utf8.withContiguousStorageIfAvailable { bytes in
            !bytes.contains { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 }
        }
        if plain == true {
            out += "\""
            out += value
            out += "\""
            return
        }
        // Rare: escape through the byte writer below.
        var bytes: [UInt8] = []
        appendString(value, to: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// The same text as `appendString(_:to:)` for a `String`, as UTF-8 bytes (query answers are written so).
    public static func appendString(_ value: String, to out: inout [UInt8]) {
        out.append(0x22)
        var contiguous = value
        contiguous.withUTF8 { bytes in
            // Everything that needs escaping is ASCII, so the runs between escapes are copied as they are.
            var plainStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte == 0x22 || byte == 0x5C || byte < 0x20 else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plainStart..<index]))
                switch byte {
                case 0x22: out += #"\""#.utf8
                case 0x5C: out += #"\\"#.utf8
                case 0x08: out += #"\b"#.utf8
                case 0x0C: out += #"\f"#.utf8
                case 0x0A: out += #"\n"#.utf8
                case 0x0D: out += #"\r"#.utf8
                case 0x09: out += #"\t"#.utf8
                default:
                    let digits = Array("0123456789abcdef".utf8)
                    out += #"\u00"#.utf8
                    out.append(digits[Int(byte >> 4)])
                    out.append(digits[Int(byte & 0xF)])
                }
                plainStart = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plainStart...]))
        }
        out.append(0x22)
    }

    public static func appendNumber(_ value: Double, to out: inout String) {
        guard value.isFinite else { out += "null"; return }
        let text = value.description
        out += text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    public static func appendStrings(_ values: [String], to out: inout String) {
        out += "["
        for (index, value) in values.enumerated() {
            if index > 0 { out += "," }
            appendString(value, to: &out)
        }
        out += "]"
    }

    public static func appendStrings(_ values: [String], to out: inout [UInt8]) {
        out.append(0x5B)
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(0x2C) }
            appendString(value, to: &out)
        }
        out.append(0x5D)
    }
}
