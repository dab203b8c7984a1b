import RawStructuredFieldValues

/// A structured dictionary read from contiguous bytes, for the common part of RFC 9651: keys, inner lists,
/// items and parameters whose bare items are integers, strings without escapes, tokens, byte sequences and
/// booleans. Returns nil for anything else — including every malformed input — so that the caller can hand
/// the field to swift-http-structured-headers, whose answer (or error) then stands. Each step follows that
/// library's parser (`FieldParser.swift`) line for line, so where both answer, they answer the same.
struct FastDictionaryParser {
    private typealias Characters = StructuredFieldCharacters
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index: Int

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        index = 0
    }

    static func dictionary(in bytes: UnsafeBufferPointer<UInt8>) -> OrderedMap<String, ItemOrInnerList>? {
        var parser = FastDictionaryParser(bytes)
        return parser.dictionary()
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipSpaces() {
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
    }

    private mutating func skipOWS() {
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
    }

    private func text(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    private mutating func dictionary() -> OrderedMap<String, ItemOrInnerList>? {
        var result = OrderedMap<String, ItemOrInnerList>()
        var keys: [String] = []
        skipSpaces()
        while index < bytes.count {
            guard let key = key(), !keys.contains(key) else { return nil }  // a repeated key: the library decides
            keys.append(key)
            if current == UInt8(ascii: "=") {
                index += 1
                if current == UInt8(ascii: "(") {
                    guard let list = innerList() else { return nil }
                    result[key] = .innerList(list)
                } else {
                    guard let item = item() else { return nil }
                    result[key] = .item(item)
                }
            } else {
                guard let parameters = parameters() else { return nil }
                result[key] = .item(Item(bareItem: .bool(true), parameters: parameters))
            }
            skipOWS()
            guard index < bytes.count else { break }
            guard bytes[index] == UInt8(ascii: ",") else { return nil }
            index += 1
            skipOWS()
            guard index < bytes.count else { return nil }  // trailing comma
        }
        return result
    }

    private mutating func innerList() -> InnerList? {
        index += 1  // "("
        var list = BareInnerList()
        while index < bytes.count {
            skipSpaces()
            if current == UInt8(ascii: ")") {
                index += 1
                guard let parameters = parameters() else { return nil }
                return InnerList(bareInnerList: list, parameters: parameters)
            }
            guard let item = item() else { return nil }
            list.append(item)
            guard current == UInt8(ascii: " ") || current == UInt8(ascii: ")") else { return nil }
        }
        return nil
    }

    private mutating func item() -> Item? {
        guard let bare = bareItem(), let parameters = parameters() else { return nil }
        return Item(bareItem: bare, parameters: parameters)
    }

    private mutating func parameters() -> OrderedMap<String, RFC9651BareItem>? {
        var result = OrderedMap<String, RFC9651BareItem>()
        var keys: [String] = []
        while current == UInt8(ascii: ";") {
            index += 1
            skipSpaces()
            guard let key = key(), !keys.contains(key) else { return nil }
            keys.append(key)
            var value = RFC9651BareItem.bool(true)
            if current == UInt8(ascii: "=") {
                index += 1
                guard let bare = bareItem() else { return nil }
                value = bare
            }
            result[key] = value
        }
        return result
    }

    private mutating func key() -> String? {
        guard let first = current, Characters.startsKey(first) else { return nil }
        let start = index
        while let byte = current, Characters.continuesKey(byte) { index += 1 }
        return text(start, index)
    }

    private mutating func bareItem() -> RFC9651BareItem? {
        guard let first = current else { return nil }
        switch first {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return integer()
        case UInt8(ascii: "\""): return string()
        case UInt8(ascii: ":"): return byteSequence()
        case UInt8(ascii: "?"):
            index += 1
            switch current {
            case UInt8(ascii: "1"): index += 1; return .bool(true)
            case UInt8(ascii: "0"): index += 1; return .bool(false)
            default: return nil
            }
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "*"): return token()
        default: return nil  // dates, display strings and errors: the library's
        }
    }

    /// An integer of 1–15 digits; a decimal (a "." after the digits) is the library's.
    private mutating func integer() -> RFC9651BareItem? {
        var negative = false
        if current == UInt8(ascii: "-") { negative = true; index += 1 }
        var value: Int64 = 0, digits = 0
        while let byte = current, Characters.isDigit(byte) {
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            digits += 1
            index += 1
            if digits > 15 { return nil }
        }
        guard digits > 0, current != UInt8(ascii: ".") else { return nil }
        return .integer(negative ? -value : value)
    }

    /// A string of printable ASCII without escapes; one with a backslash is the library's.
    private mutating func string() -> RFC9651BareItem? {
        index += 1
        let start = index
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\""):
                let value = text(start, index)
                index += 1
                return .string(value)
            case UInt8(ascii: "\\"), 0x00...0x1F, 0x7F...: return nil
            default: index += 1
            }
        }
        return nil
    }

    private mutating func byteSequence() -> RFC9651BareItem? {
        index += 1
        let start = index
        while let byte = current {
            if byte == UInt8(ascii: ":") {
                let value = text(start, index)
                index += 1
                return .undecodedByteSequence(value)
            }
            guard Characters.isBase64(byte) else { return nil }
            index += 1
        }
        return nil
    }

    /// RFC 9110 tchar, ":" and "/".
    private mutating func token() -> RFC9651BareItem? {
        let start = index
        while let byte = current, Characters.continuesToken(byte) { index += 1 }
        return .token(text(start, index))
    }
}
