/// The shapes of the identifiers configuration and manifests name (federation ids, hex key ids and serials, resource
/// codes, field names, dates), checked on their bytes.
///
/// These were `range(of:options: .regularExpression)`, which is Foundation's `NSRegularExpression` on ICU: every
/// start-up compiled a handful of patterns and paged in ICU's code and data for it (≈ 3 MiB of a daemon's idle memory,
/// `docs/performance.md`). Each shape is a first byte, the bytes after it and a length, all ASCII; a trailing newline,
/// which the patterns' `$` let through, is refused.
public enum ASCIIShape {
    /// `^[a-z0-9][a-z0-9.-]{0,62}$`: a federation id.
    public static func isFederationID(_ text: some StringProtocol) -> Bool {
        matches(text, length: 1...63, first: { isLowerAlphanumeric($0) }, rest: { isLowerAlphanumeric($0) || $0 == 0x2E || $0 == 0x2D })
    }

    /// `^[0-9a-f]{n}$` for n in `length`: key ids, pins, serials, token hashes.
    public static func isLowercaseHex(_ text: some StringProtocol, length: ClosedRange<Int>) -> Bool {
        matches(text, length: length, first: isLowerHex, rest: isLowerHex)
    }

    /// `^[0-9A-Za-z/-]{1,64}$`: a resource code.
    public static func isResourceCode(_ text: some StringProtocol) -> Bool {
        let allowed = { (byte: UInt8) in isAlphanumeric(byte) || byte == 0x2F || byte == 0x2D }
        return matches(text, length: 1...64, first: allowed, rest: allowed)
    }

    /// `^[A-Za-z][A-Za-z0-9_]{0,63}$`: a field name.
    public static func isFieldName(_ text: some StringProtocol) -> Bool {
        matches(text, length: 1...64, first: { isLetter($0) }, rest: { isAlphanumeric($0) || $0 == 0x5F })
    }

    /// `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`: the shape of a date (not whether it exists).
    public static func isDateShape(_ text: some StringProtocol) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10 else { return false }
        return bytes.indices.allSatisfy { index in index == 4 || index == 7 ? bytes[index] == 0x2D : isDigit(bytes[index]) }
    }

    static func matches(_ text: some StringProtocol, length: ClosedRange<Int>, first: (UInt8) -> Bool, rest: (UInt8) -> Bool) -> Bool {
        var count = 0
        for byte in text.utf8 {
            guard count == 0 ? first(byte) : rest(byte) else { return false }
            count += 1
            if count > length.upperBound { return false }
        }
        return length.contains(count)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isLowerHex(_ byte: UInt8) -> Bool { isDigit(byte) || (byte >= 0x61 && byte <= 0x66) }
    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
    static func isAlphanumeric(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) }
    static func isLowerAlphanumeric(_ byte: UInt8) -> Bool { isDigit(byte) || (byte >= 0x61 && byte <= 0x7A) }
}
