import Foundation
import FuzzSupport
import TongbanCore

// Tongban's JSON parser (`JSONTextParser`, through `JSONValue.parse` and `parseUnambiguous`) and the stored-record
// scanner (`JSONObjectScanner`), differential against Foundation's `JSONSerialization` with `.fragmentsAllowed`.
//
// The comparison, precisely:
// 1. `parseUnambiguous` accepts ⇒ Foundation accepts, and the values are equal: the same kind (object, array,
//    string, number, bool, null); strings equal scalar by scalar; objects with the same keys (scalar by scalar) and
//    equal values; arrays equal element by element; numbers equal as `Double` (and exactly, when Foundation read an
//    integer that fits in `Int64`); `true` and `false` only against Foundation's booleans. One documented
//    difference in numbers: an integer beyond 64 bits Foundation keeps as an `NSDecimalNumber` (38 digits), whose
//    `doubleValue` is not always the `Double` nearest the text, which Tongban reads (as `JSONDecoder` does); those
//    are compared to a relative 1e-12.
// 2. Foundation accepts, `parseUnambiguous` declines ⇒ one of the documented differences:
//    - an object repeats a key (Foundation keeps one; which one is its choice): `parseUnambiguous` leaves such a
//      document to `JSONDecoder`, so that two readers can never see different values. Found by `JSONValue.parse`
//      accepting the text (it keeps the last value and flags the repeat); keys that are equal as Swift strings
//      (canonically equivalent, "é" and "e\u{301}") count as repeated;
//    - nesting of 64 levels or more (Tongban's limit; Foundation's is deeper);
//    - input that is not UTF-8 JSON text: a byte order mark, or UTF-16/UTF-32 (NUL bytes), which Foundation
//      detects and decodes; Tongban reads UTF-8 only (RFC 8259 §8.1);
//    - a number Foundation reads that does not fit in a `Double` (`1e400`): Tongban refuses it;
//    - a comma before `]` or `}` (`[1,]`, `{"a":1,}`), which Foundation on Linux accepts and RFC 8259 does not.
//    And in values: `JSONSerialization` on Linux drops a U+FEFF at the start of any string, key or value, and right
//    after an escape sequence (`"\u{FEFF}k"` reads as `"k"`); `JSONDecoder` keeps it, as Tongban does, so strings
//    that differ only by U+FEFF that Foundation lost are allowed.
// 3. `JSONValue.parse` (the lenient entry point, for text already a `String`) never crashes, and whatever it or
//    `parseUnambiguous` accepts writes as `canonicalText` that parses back to the same value.
// 4. `JSONObjectScanner.scan` never crashes, its spans lie inside the text in order, and where Foundation reads
//    the same text as an object, the spans are that object's members: the same keys, each value's text read by
//    Foundation equal to the member's value. It checks strings and containers inside values for balance only
//    (its input is text the store wrote), so a text it scans may be one Foundation refuses: documented, not a
//    difference. And the canonical text of every object whose keys are printable ASCII without `"` or `\` (the
//    store's shape) is scanned, to the same members.
Fuzz.run { input in
    let data = Data(input)
    let foundation = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    let unambiguous = input.withUnsafeBytes { JSONValue.parseUnambiguous($0) }
    let text = String(decoding: input, as: UTF8.self)
    let lenient = try? JSONValue.parse(text)

    if let value = unambiguous {
        guard let foundation else { Fuzz.difference("json", "Tongban accepts JSON Foundation refuses: \(value)", input: input) }
        if let why = JSONCompare.difference(value, foundation) {
            Fuzz.difference("json", "different values (\(why)): Tongban \(value), Foundation \(foundation)", input: input)
        }
    } else if let foundation {
        let notUTF8Text = input.starts(with: [0xEF, 0xBB, 0xBF]) || input.prefix(4).contains(0) || String(validating: input, as: UTF8.self) == nil
        let documented = notUTF8Text || lenient != nil || JSONCompare.depth(foundation) >= 64 || JSONCompare.hasHugeNumber(foundation)
            || JSONCompare.hasTrailingComma(input) || JSONCompare.hasHugeNumber(input)
        if !documented { Fuzz.difference("json", "Tongban refuses JSON Foundation accepts: \(foundation)", input: input) }
    }

    for value in [unambiguous, lenient].compactMap({ $0 }) {
        let canonical = value.canonicalText
        guard let again = try? JSONValue.parse(canonical), again == value else {
            Fuzz.difference("json", "canonical text \(canonical) does not parse back to \(value)", input: input)
        }
        if case .object(let members) = value, members.keys.allSatisfy(JSONCompare.isStoreKey) {
            let spans = JSONCompare.scan(Array(canonical.utf8))
            guard let spans, spans.count == members.count else {
                Fuzz.difference("json", "the scanner refuses the canonical text \(canonical)", input: input)
            }
            let bytes = Array(canonical.utf8)
            for span in spans {
                let key = String(decoding: bytes[span.key], as: UTF8.self)
                let member = try? JSONValue.parse(String(decoding: bytes[span.value], as: UTF8.self))
                guard let expected = members[key], member == expected else {
                    Fuzz.difference("json", "the scanner's member \(key) of \(canonical) is \(String(describing: member))", input: input)
                }
            }
        }
    }

    if let spans = JSONCompare.scan(input) {
        var previous = 0
        for span in spans {
            guard span.key.lowerBound >= previous, span.key.upperBound <= span.value.lowerBound, span.value.upperBound <= input.count else {
                Fuzz.difference("json", "scanner spans out of order or bounds: \(spans)", input: input)
            }
            previous = span.value.upperBound
        }
        if let object = foundation as? [String: Any] {
            guard object.count == spans.count else {
                Fuzz.difference("json", "the scanner finds \(spans.count) members, Foundation \(object.count)", input: input)
            }
            for span in spans {
                let key = String(decoding: input[span.key], as: UTF8.self)
                let valueText = Data(input[span.value])
                guard let expected = object[key],
                      let value = try? JSONSerialization.jsonObject(with: valueText, options: [.fragmentsAllowed]),
                      JSONCompare.same(value, expected) else {
                    Fuzz.difference("json", "the scanner's member \(key) differs from Foundation's", input: input)
                }
            }
        }
    }
}

enum JSONCompare {
    static func scan(_ bytes: [UInt8]) -> [JSONObjectScanner.Span]? {
        var spans: [JSONObjectScanner.Span] = []
        let ok = bytes.withUnsafeBufferPointer { JSONObjectScanner.scan($0, into: &spans) }
        return ok ? spans : nil
    }

    static func isStoreKey(_ key: String) -> Bool {
        key.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }
    }

    static func scalars(_ a: String, _ b: String) -> Bool { a.unicodeScalars.elementsEqual(b.unicodeScalars) }

    /// Tongban's string `ours` is Foundation's `theirs`, scalar by scalar, allowing JSONSerialization's loss of
    /// U+FEFF (documented above): equal once every U+FEFF is taken out, and Foundation's has no more of them.
    static func same(ours: String, theirs: String) -> Bool {
        if scalars(ours, theirs) { return true }
        let bom: Unicode.Scalar = "\u{FEFF}"
        let (a, b) = (ours.unicodeScalars.filter { $0 != bom }, theirs.unicodeScalars.filter { $0 != bom })
        return a.elementsEqual(b) && theirs.unicodeScalars.count - b.count <= ours.unicodeScalars.count - a.count
    }

    /// Foundation's booleans are `NSNumber`s of type `c` (char) on Linux; its numbers are of other types.
    static func isBool(_ number: NSNumber) -> Bool { String(cString: number.objCType) == "c" }

    /// Nil when equal, else what differs.
    static func difference(_ ours: JSONValue, _ theirs: Any) -> String? {
        switch ours {
        case .null:
            return theirs is NSNull ? nil : "null"
        case .bool(let value):
            guard let number = theirs as? NSNumber, isBool(number), number.boolValue == value else { return "bool" }
            return nil
        case .integer(let value):
            guard let number = theirs as? NSNumber, !isBool(number) else { return "integer kind" }
            if number is NSDecimalNumber { return near(Double(value), number.doubleValue) ? nil : "integer value (decimal)" }
            if number.doubleValue != Double(value) { return "integer value" }
            let type = String(cString: number.objCType)
            if ["q", "l", "i", "s"].contains(type), number.int64Value != Int64(value) { return "integer exact value" }
            return nil
        case .number(let value):
            guard let number = theirs as? NSNumber, !isBool(number) else { return "number kind" }
            if number is NSDecimalNumber { return near(value, number.doubleValue) ? nil : "number value (decimal)" }
            return number.doubleValue == value ? nil : "number value"
        case .string(let value):
            guard let string = theirs as? String, same(ours: value, theirs: string) else { return "string" }
            return nil
        case .array(let values):
            guard let array = theirs as? [Any], array.count == values.count else { return "array" }
            for (a, b) in zip(values, array) { if let why = difference(a, b) { return why } }
            return nil
        case .object(let members):
            // Keys that become one once Foundation has lost their U+FEFF: Foundation kept one of them (documented).
            let stripped = Set(members.keys.map { String(String.UnicodeScalarView($0.unicodeScalars.filter { $0 != "\u{FEFF}" })) })
            if stripped.count < members.count { return theirs is [String: Any] ? nil : "object kind" }
            guard let object = theirs as? [String: Any], object.count == members.count else { return "object size" }
            for (key, value) in members {
                guard let (_, other) = object.first(where: { same(ours: key, theirs: $0.key) }) else { return "object key \(key.debugDescription)" }
                if let why = difference(value, other) { return why }
            }
            return nil
        }
    }

    static func near(_ a: Double, _ b: Double) -> Bool { a == b || abs(a - b) <= 1e-12 * max(abs(a), abs(b)) }

    /// Two of Foundation's values are equal (for the scanner's spans).
    static func same(_ a: Any, _ b: Any) -> Bool {
        switch (a, b) {
        case (is NSNull, is NSNull): return true
        case (let x as String, let y as String): return scalars(x, y)
        case (let x as NSNumber, let y as NSNumber): return isBool(x) == isBool(y) && x.doubleValue == y.doubleValue
        case (let x as [Any], let y as [Any]): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (let x as [String: Any], let y as [String: Any]):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { same(value, $0) } ?? false }
        default: return false
        }
    }

    /// A number token outside strings that does not fit in a `Double` (also one Foundation dropped with a repeated key).
    static func hasHugeNumber(_ bytes: [UInt8]) -> Bool {
        var inString = false, escaped = false, token: [UInt8] = []
        for byte in bytes + [0x20] {
            if inString {
                if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
                continue
            }
            if (byte >= 0x30 && byte <= 0x39) || [0x2D, 0x2B, 0x2E, 0x65, 0x45].contains(byte) { token.append(byte); continue }
            if let value = Double(String(decoding: token, as: UTF8.self)), !value.isFinite { return true }
            token = []
            if byte == 0x22 { inString = true }
        }
        return false
    }

    /// A `,` followed (after whitespace) by `]` or `}`, outside strings.
    static func hasTrailingComma(_ bytes: [UInt8]) -> Bool {
        var inString = false, escaped = false, comma = false
        for byte in bytes {
            if inString {
                if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
                continue
            }
            switch byte {
            case 0x22: inString = true; comma = false
            case 0x2C: comma = true
            case 0x5D, 0x7D: if comma { return true }
            case 0x20, 0x09, 0x0A, 0x0D: break
            default: comma = false
            }
        }
        return false
    }

    static func depth(_ value: Any) -> Int {
        switch value {
        case let array as [Any]: 1 + (array.map(depth).max() ?? 0)
        case let object as [String: Any]: 1 + (object.values.map(depth).max() ?? 0)
        default: 0
        }
    }

    static func hasHugeNumber(_ value: Any) -> Bool {
        switch value {
        case let number as NSNumber: !number.doubleValue.isFinite
        case let array as [Any]: array.contains(where: hasHugeNumber)
        case let object as [String: Any]: object.values.contains(where: hasHugeNumber)
        default: false
        }
    }
}
