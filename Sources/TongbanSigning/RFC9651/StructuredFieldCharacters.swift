/// The byte classes of RFC 9651's grammar, shared by `FastDictionaryParser` and `StructuredFieldText`.
enum StructuredFieldCharacters {
    static func isLowercase(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    static func isAlpha(_ byte: UInt8) -> Bool { isLowercase(byte) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) }

    /// A key's first byte: lcalpha or "*".
    static func startsKey(_ byte: UInt8) -> Bool { isLowercase(byte) || byte == UInt8(ascii: "*") }
    /// A key's later bytes: lcalpha, DIGIT, "_", "-", ".", "*".
    static func continuesKey(_ byte: UInt8) -> Bool {
        isLowercase(byte) || isDigit(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "*")
    }

    /// A token's first byte: ALPHA or "*".
    static func startsToken(_ byte: UInt8) -> Bool { isAlpha(byte) || byte == UInt8(ascii: "*") }
    /// A token's later bytes: RFC 9110 tchar, ":" and "/".
    static func continuesToken(_ byte: UInt8) -> Bool { isAlpha(byte) || isDigit(byte) || tokenPunctuation.contains(byte) }
    private static let tokenPunctuation: Set<UInt8> = Set("!#$%&'*+-.^_`|~:/".utf8)

    /// Base64's alphabet, as a byte sequence may hold it.
    static func isBase64(_ byte: UInt8) -> Bool {
        isAlpha(byte) || isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
    }
}
