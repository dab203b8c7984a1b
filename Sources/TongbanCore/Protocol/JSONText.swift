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
        out += "\""
        // Everything that needs escaping is ASCII, so the UTF-8 bytes can be scanned directly and the runs
        // between escapes appended as slices.
        let utf8 = value.utf8
        var plainStart = utf8.startIndex
        var index = plainStart
        while index != utf8.endIndex {
            let byte = utf8[index]
            guard byte == 0x22 || byte == 0x5C || byte < 0x20 else {
                index = utf8.index(after: index)
                continue
            }
            out += value[plainStart..<index]
            switch byte {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            default:
                let digits: [Character] = Array("0123456789abcdef")
                out += "\\u00"
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0xF)])
            }
            index = utf8.index(after: index)
            plainStart = index
        }
        out += value[plainStart..<utf8.endIndex]
        out += "\""
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
}
