/// Applies a field's masking rule to a value: ID numbers keep the address code and the last four
/// characters (`110105********002X`), names the first character (`张*`), anything else is starred out.
public enum Masking {
    public static func mask(_ value: JSONValue, rule: MaskingRule?) -> JSONValue {
        guard case .string(let text) = value else { return .string("***") }
        if rule == .idNumber, text.utf8.count == 18, text.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: characters are bytes, so the usual shape needs no grapheme counting (most of a batch's masking).
            let bytes = Array(text.utf8)
            return .string(String(decoding: bytes[0..<6] + Array(repeating: UInt8(ascii: "*"), count: 8) + bytes[14...], as: UTF8.self))
        }
        switch rule {
        case .idNumber where text.count == 18:
            return .string(String(text.prefix(6)) + String(repeating: "*", count: 8) + String(text.suffix(4)))
        case .name where !text.isEmpty:
            return .string(String(text.prefix(1)) + String(repeating: "*", count: max(1, text.count - 1)))
        default:
            return .string(String(repeating: "*", count: max(3, min(text.count, 12))))
        }
    }
}
