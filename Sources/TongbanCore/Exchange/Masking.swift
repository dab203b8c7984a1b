/// Applies a field's masking rule to a value: ID numbers keep the address code and the last four
/// characters (`110105********002X`), names the first character (`张*`), anything else is starred out.
public enum Masking {
    public static func mask(_ value: JSONValue, rule: MaskingRule?) -> JSONValue {
        guard case .string(let text) = value else { return .string("***") }
        var bytes: [UInt8] = []
        var contiguous = text
        if contiguous.withUTF8({ appendMasked(ascii: $0, rule: rule, to: &bytes) }) { return .string(String(decoding: bytes, as: UTF8.self)) }
        let kept = plan(count: text.count, rule: rule)
        return .string(String(text.prefix(kept.prefix)) + String(repeating: "*", count: kept.stars) + String(text.suffix(kept.suffix)))
    }

    /// The masked form of `text` appended to `out` when it is ASCII without CR (CR LF is one character), where
    /// characters are bytes: no grapheme counting, which was most of a batch's masking. False, with nothing
    /// appended, for any other text (`mask(_:rule:)` counts its characters).
    public static func appendMasked(ascii text: UnsafeBufferPointer<UInt8>, rule: MaskingRule?, to out: inout [UInt8]) -> Bool {
        guard text.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) else { return false }
        let kept = plan(count: text.count, rule: rule)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: text[..<kept.prefix]))
        out.append(contentsOf: repeatElement(UInt8(ascii: "*"), count: kept.stars))
        out.append(contentsOf: UnsafeBufferPointer(rebasing: text[(text.count - kept.suffix)...]))
        return true
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
