/// The top-level members of a JSON object as spans of its UTF-8 text, without decoding the values: what a batch
/// answer needs to copy stored fields as they are (the benchmark showed building a dictionary per stored
/// record — hashing every key, allocating every value — was most of a large query's cost, and then that
/// slicing and hashing `String`s was most of what remained).
///
/// Only the shape the store writes is accepted: an object whose keys are printable ASCII needing no escape,
/// in strictly increasing order (`JSONValue.canonicalText`; for ASCII, byte order is `String` order). Anything
/// else is refused, and callers take the general path.
public enum JSONObjectScanner {
    /// One member as byte offsets into the scanned text: the key without its quotes, the value as stored.
    public struct Span: Equatable, Sendable {
        public let key: Range<Int>
        public let value: Range<Int>
    }

    /// Fills `spans` (emptied first, its storage kept for the next call) with the members of the object in
    /// `bytes`; false when the text is not in the store's shape.
    public static func scan(_ bytes: UnsafeBufferPointer<UInt8>, into spans: inout [Span]) -> Bool {
        spans.removeAll(keepingCapacity: true)
        let end = bytes.count
        var index = 0
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        func skipSpace() {
            while index < end, isSpace(bytes[index]) { index += 1 }
        }
        /// Moves past a string whose opening quote is at `index`: whether it had escapes, nil when it never closes.
        func skipString() -> Bool? {
            index += 1
            var escaped = false
            while index < end {
                let byte = bytes[index]
                if byte == 0x5C {  // backslash: skip the escaped character too
                    escaped = true
                    index += 2
                } else if byte == 0x22 {
                    index += 1
                    return escaped
                } else {
                    index += 1
                }
            }
            return nil
        }
        /// Moves past one value of any kind (nested arrays and objects included). Scalars must be a number,
        /// true, false or null; strings and containers are checked for balance only (the store wrote them).
        func skipValue() -> Bool {
            guard index < end else { return false }
            switch bytes[index] {
            case 0x22:
                return skipString() != nil
            case 0x7B, 0x5B:
                var depth = 0
                while index < end {
                    let byte = bytes[index]
                    if byte == 0x22 {
                        guard skipString() != nil else { return false }
                        continue
                    }
                    if byte == 0x7B || byte == 0x5B { depth += 1 }
                    if byte == 0x7D || byte == 0x5D {
                        depth -= 1
                        if depth == 0 {
                            index += 1
                            return true
                        }
                    }
                    index += 1
                }
                return false
            default:
                let start = index
                while index < end {
                    let byte = bytes[index]
                    if byte == 0x2C || byte == 0x7D || byte == 0x5D || isSpace(byte) { break }
                    index += 1
                }
                let word = UnsafeBufferPointer(rebasing: bytes[start..<index])
                if word.elementsEqual("true".utf8) || word.elementsEqual("false".utf8) || word.elementsEqual("null".utf8) { return true }
                return !word.isEmpty && word.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2B || $0 == 0x2E || $0 == 0x65 || $0 == 0x45 }
            }
        }

        skipSpace()
        guard index < end, bytes[index] == 0x7B else { return false }
        index += 1
        skipSpace()
        if index < end, bytes[index] == 0x7D {
            index += 1
            skipSpace()
            return index == end
        }
        while true {
            skipSpace()
            guard index < end, bytes[index] == 0x22 else { return false }
            let keyStart = index + 1
            guard skipString() == false else { return false }
            let key = keyStart..<(index - 1)
            guard bytes[key].allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return false }
            if let last = spans.last, !bytes[last.key].lexicographicallyPrecedes(bytes[key]) { return false }
            skipSpace()
            guard index < end, bytes[index] == 0x3A else { return false }
            index += 1
            skipSpace()
            let valueStart = index
            guard skipValue() else { return false }
            spans.append(Span(key: key, value: valueStart..<index))
            skipSpace()
            guard index < end else { return false }
            if bytes[index] == 0x2C {
                index += 1
                continue
            }
            guard bytes[index] == 0x7D else { return false }
            index += 1
            skipSpace()
            return index == end
        }
    }
}
