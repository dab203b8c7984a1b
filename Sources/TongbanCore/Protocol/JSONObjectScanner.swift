/// The top-level members of a JSON object as slices of its text, without decoding the values: what a batch
/// answer needs to copy stored fields as they are (the benchmark showed building a dictionary per stored
/// record — hashing every key, allocating every value — was most of a large query's cost).
///
/// Only the shape the store writes is accepted: an object whose keys need no unescaping and come in strictly
/// increasing order (`JSONValue.canonicalText`). Anything else gives nil, and callers take the general path.
public enum JSONObjectScanner {
    public struct Member {
        public let key: Substring
        /// The value's JSON text, exactly as stored.
        public let value: Substring
    }

    public static func members(of text: String) -> [Member]? {
        let utf8 = text.utf8
        var index = utf8.startIndex
        func skipSpace() {
            while index != utf8.endIndex, [0x20, 0x09, 0x0A, 0x0D].contains(utf8[index]) { index = utf8.index(after: index) }
        }
        func expect(_ byte: UInt8) -> Bool {
            skipSpace()
            guard index != utf8.endIndex, utf8[index] == byte else { return false }
            index = utf8.index(after: index)
            return true
        }
        /// Moves past a string whose opening quote is at `index`; false when it never closes.
        func skipString() -> (ok: Bool, escaped: Bool) {
            index = utf8.index(after: index)
            var escaped = false
            while index != utf8.endIndex {
                let byte = utf8[index]
                if byte == 0x5C {  // backslash: skip the escaped character too
                    escaped = true
                    index = utf8.index(after: index)
                    guard index != utf8.endIndex else { return (false, escaped) }
                } else if byte == 0x22 {
                    index = utf8.index(after: index)
                    return (true, escaped)
                }
                index = utf8.index(after: index)
            }
            return (false, escaped)
        }
        /// Moves past one value of any kind (nested arrays and objects included). Scalars must be a number,
        /// true, false or null; strings and containers are checked for balance only (the store wrote them).
        func skipValue() -> Bool {
            skipSpace()
            guard index != utf8.endIndex else { return false }
            switch utf8[index] {
            case 0x22:
                return skipString().ok
            case 0x7B, 0x5B:
                var depth = 0
                while index != utf8.endIndex {
                    let byte = utf8[index]
                    if byte == 0x22 {
                        guard skipString().ok else { return false }
                        continue
                    }
                    if byte == 0x7B || byte == 0x5B { depth += 1 }
                    if byte == 0x7D || byte == 0x5D {
                        depth -= 1
                        if depth == 0 {
                            index = utf8.index(after: index)
                            return true
                        }
                    }
                    index = utf8.index(after: index)
                }
                return false
            default:
                let start = index
                while index != utf8.endIndex, ![0x2C, 0x7D, 0x5D, 0x20, 0x09, 0x0A, 0x0D].contains(utf8[index]) { index = utf8.index(after: index) }
                let word = text[start..<index]
                if word == "true" || word == "false" || word == "null" { return true }
                return !word.isEmpty && word.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || [0x2D, 0x2B, 0x2E, 0x65, 0x45].contains($0) }
            }
        }

        guard expect(0x7B) else { return nil }
        var members: [Member] = []
        skipSpace()
        if index != utf8.endIndex, utf8[index] == 0x7D { return members }
        while true {
            skipSpace()
            guard index != utf8.endIndex, utf8[index] == 0x22 else { return nil }
            let keyStart = utf8.index(after: index)
            let (closed, escaped) = skipString()
            guard closed, !escaped else { return nil }
            let key = text[keyStart..<utf8.index(before: index)]
            if let last = members.last, !(last.key < key) { return nil }
            guard expect(0x3A) else { return nil }
            skipSpace()
            let valueStart = index
            guard skipValue() else { return nil }
            var valueEnd = index
            while valueEnd > valueStart, [0x20, 0x09, 0x0A, 0x0D].contains(utf8[utf8.index(before: valueEnd)]) { valueEnd = utf8.index(before: valueEnd) }
            guard valueEnd > valueStart else { return nil }
            members.append(Member(key: key, value: text[valueStart..<valueEnd]))
            skipSpace()
            guard index != utf8.endIndex else { return nil }
            if utf8[index] == 0x2C { index = utf8.index(after: index); continue }
            guard utf8[index] == 0x7D else { return nil }
            index = utf8.index(after: index)
            skipSpace()
            return index == utf8.endIndex ? members : nil
        }
    }
}
