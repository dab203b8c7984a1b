/// Applies a field's masking rule to a value: ID numbers keep the address code and the last four
/// characters (`110105********002X`), names the first character (`张*`), anything else is starred out.
public enum Masking {
    public static func mask(_ value: JSONValue, rule: MaskingRule?) -> JSONValue {
        guard case .string(let text) = value else { return .string("***") }
        // In ASCII text without CR (CR LF is one character) characters are bytes: no grapheme counting, which
        // was most of a batch's masking.
        let count = text.utf8.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: "\r") } ? text.utf8.count : text.count
        switch rule {
        case .idNumber where count == 18:
            return .string(String(text.prefix(6)) + String(repeating: "*", count: 8) + String(text.suffix(4)))
        case .name where !text.isEmpty:
            return .string(String(text.prefix(1)) + String(repeating: "*", count: max(1, count - 1)))
        default:
            return .string(String(repeating: "*", count: max(3, min(count, 12))))
        }
    }
}
