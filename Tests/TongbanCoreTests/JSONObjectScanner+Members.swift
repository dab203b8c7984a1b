import TongbanCore

/// The scanner's spans as slices of a `String`, for tests that read what it found.
extension JSONObjectScanner {
    struct Member {
        let key: Substring
        /// The value's JSON text, exactly as stored.
        let value: Substring
    }

    static func members(of text: String) -> [Member]? {
        var contiguous = text
        let found: [Span]? = contiguous.withUTF8 { bytes in
            var spans: [Span] = []
            return scan(bytes, into: &spans) ? spans : nil
        }
        guard let found else { return nil }
        let utf8 = text.utf8
        func slice(_ range: Range<Int>) -> Substring {
            text[utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)]
        }
        return found.map { Member(key: slice($0.key), value: slice($0.value)) }
    }
}
