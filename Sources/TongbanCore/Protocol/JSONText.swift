/// JSON text written the way Foundation's `JSONEncoder` writes it (`.sortedKeys`, `.withoutEscapingSlashes`):
/// the short escapes `\" \\ \b \f \n \r \t`, `\u00xx` for other control characters, everything else as is;
/// a `Double` as its shortest description without a trailing `.0`. Hand-written documents on the hot path
/// (the audit chain, query answers) use it so their bytes equal what `JSONEncoder` would have produced.
public enum JSONText {
    public static func appendString(_ value: String, to out: inout String) {
        out += "\""
        var plainStart = value.unicodeScalars.startIndex
        var index = plainStart
        let scalars = value.unicodeScalars
        while index != scalars.endIndex {
            let scalar = scalars[index]
            let escape: String?
            switch scalar {
            case "\"": escape = "\\\""
            case "\\": escape = "\\\\"
            case "\u{08}": escape = "\\b"
            case "\u{0C}": escape = "\\f"
            case "\n": escape = "\\n"
            case "\r": escape = "\\r"
            case "\t": escape = "\\t"
            case _ where scalar.value < 0x20:
                let digits = Array("0123456789abcdef")
                escape = "\\u00" + String(digits[Int(scalar.value >> 4)]) + String(digits[Int(scalar.value & 0xF)])
            default: escape = nil
            }
            if let escape {
                out.unicodeScalars.append(contentsOf: scalars[plainStart..<index])
                out += escape
                plainStart = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        out.unicodeScalars.append(contentsOf: scalars[plainStart..<scalars.endIndex])
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
