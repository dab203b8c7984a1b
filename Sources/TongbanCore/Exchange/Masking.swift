/// Applies a field's masking rule to a value: ID numbers keep the address code and the last four
/// characters (`110105********002X`), names the first character (`张*`), anything else is starred out.
public enum Masking {
    public static func mask(_ value: JSONValue, rule: MaskingRule?) -> JSONValue {
        guard case .string(let text) = value else { return .string("***") }
        var bytes: [UInt8] = []
        var contiguous = text
        if contiguous.withUTF8({ appendMasked(utf8: $0, rule: rule, to: &bytes) }) { return .string(String(decoding: bytes, as: UTF8.self)) }
        return .string(maskCountingCharacters(text, rule: rule))
    }

    /// The masked form of the UTF-8 `text` appended to `out` when every character of it is one Unicode scalar
    /// that never joins its neighbours — ASCII without CR (CR LF is one character), Han ideographs, full-width
    /// forms, the middle dot of names like 阿依古丽·买买提 — so characters are counted and kept by scalar, without
    /// grapheme breaking (which was most of a batch's masking). False, with nothing appended, for any other text,
    /// which `maskCountingCharacters` handles.
    public static func appendMasked(utf8 text: UnsafeBufferPointer<UInt8>, rule: MaskingRule?, to out: inout [UInt8]) -> Bool {
        var count = 0
        var index = 0
        while index < text.count {
            let lead = text[index]
            if lead < 0x80 {
                guard lead != 0x0D else { return false }
                index += 1
            } else if lead & 0xE0 == 0xC0, index + 1 < text.count {
                guard lead == 0xC2, text[index + 1] == 0xB7 else { return false }  // U+00B7
                index += 2
            } else if lead & 0xF0 == 0xE0, index + 2 < text.count {
                let scalar = UInt32(lead & 0x0F) << 12 | UInt32(text[index + 1] & 0x3F) << 6 | UInt32(text[index + 2] & 0x3F)
                guard (0x3400...0x4DBF).contains(scalar) || (0x4E00...0x9FFF).contains(scalar) || (0xFF01...0xFF5E).contains(scalar) else { return false }
                index += 3
            } else {
                return false
            }
            count += 1
        }
        let kept = plan(count: count, rule: rule)
        /// The byte offset after the first `scalars` scalars, and before the last `scalars`.
        func offset(after scalars: Int) -> Int {
            var index = 0
            for _ in 0..<scalars { index += text[index] < 0x80 ? 1 : (text[index] < 0xE0 ? 2 : 3) }
            return index
        }
        func offset(beforeLast scalars: Int) -> Int {
            var index = text.count
            for _ in 0..<scalars {
                index -= 1
                while text[index] & 0xC0 == 0x80 { index -= 1 }
            }
            return index
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: text[..<offset(after: kept.prefix)]))
        out.append(contentsOf: repeatElement(UInt8(ascii: "*"), count: kept.stars))
        out.append(contentsOf: UnsafeBufferPointer(rebasing: text[offset(beforeLast: kept.suffix)...]))
        return true
    }

    /// The general path: characters as Swift counts them (extended grapheme clusters).
    public static func maskCountingCharacters(_ text: String, rule: MaskingRule?) -> String {
        let kept = plan(count: text.count, rule: rule)
        return String(text.prefix(kept.prefix)) + String(repeating: "*", count: kept.stars) + String(text.suffix(kept.suffix))
    }

    /// What `rule` shows of a text of `count` characters: the first `prefix`, then `stars` asterisks, then the last `suffix`.
    static func plan(count: Int, rule: MaskingRule?) -> (prefix: Int, stars: Int, suffix: Int) {
        switch rule {
        case .idNumber where count == 18: (6, 8, 4)
        case .name where count > 0: (1, max(1, count - 1), 0)
        default: (0, max(3, min(count, 12)), 0)
        }
    }
}
