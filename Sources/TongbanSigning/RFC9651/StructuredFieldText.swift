import RawStructuredFieldValues

/// Serialising inner lists and items (RFC 9651 §4.1) — `@signature-params`, `Signature-Input` members and
/// component identifiers — for the bare item types this gateway uses: integers, strings, tokens, byte
/// sequences and booleans. Nil for anything else (decimals, dates, display strings, values the library
/// would refuse), which `StructuredDictionary.serialize` then hands to swift-http-structured-headers'
/// serialiser; its unspecialised generic code cost 2 % of a signed exchange. Written after the library's
/// `FieldSerializer.swift`, and `StructuredDictionaryTests` holds the two to the same text.
enum StructuredFieldText {
    static func innerList(_ list: InnerList) -> String? {
        var out = "("
        var first = true
        for item in list.bareInnerList {
            if !first { out += " " }
            first = false
            guard append(item, to: &out) else { return nil }
        }
        out += ")"
        return append(list.rfc9651Parameters, to: &out) ? out : nil
    }

    /// `(a b …)` from items already serialised (each exactly as `item(_:)` or the library writes it), then
    /// `parameters` — what `innerList(_:)` writes for the same list, without serialising its items again.
    static func innerList(serializedItems: [String], parameters: OrderedMap<String, RFC9651BareItem>) -> String? {
        var out = list(serializedItems)
        return append(parameters, to: &out) ? out : nil
    }

    /// The same, for parameters given as (key, value) pairs in order.
    static func innerList(serializedItems: [String], parameters: [(String, RFC9651BareItem)]) -> String? {
        var out = list(serializedItems)
        for (key, value) in parameters { guard append(key, value, to: &out) else { return nil } }
        return out
    }

    private static func list(_ serializedItems: [String]) -> String {
        // Room for the items and a signature's parameters at once: growing the string step by step cost more than the writing.
        var out = ""
        out.reserveCapacity(serializedItems.reduce(160) { $0 + $1.utf8.count + 1 })
        out += "("
        for (index, item) in serializedItems.enumerated() {
            if index > 0 { out += " " }
            out += item
        }
        out += ")"
        return out
    }

    static func item(_ item: Item) -> String? {
        var out = ""
        return append(item, to: &out) ? out : nil
    }

    private static func append(_ item: Item, to out: inout String) -> Bool {
        append(item.rfc9651BareItem, to: &out) && append(item.rfc9651Parameters, to: &out)
    }

    private static func append(_ parameters: OrderedMap<String, RFC9651BareItem>, to out: inout String) -> Bool {
        for (key, value) in parameters { guard append(key, value, to: &out) else { return false } }
        return true
    }

    private static func append(_ key: String, _ value: RFC9651BareItem, to out: inout String) -> Bool {
        guard isKey(key) else { return false }
        out += ";"
        out += key
        if case .bool(true) = value { return true }
        out += "="
        return append(value, to: &out)
    }

    private static func append(_ bare: RFC9651BareItem, to out: inout String) -> Bool {
        switch bare {
        case .integer(let value):
            guard (-999_999_999_999_999...999_999_999_999_999).contains(value) else { return false }
            out += String(value)
        case .string(let text):
            guard text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return false }
            out += "\""
            if text.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") }) {
                for character in text {
                    if character == "\\" || character == "\"" { out += "\\" }
                    out.append(character)
                }
            } else {
                out += text
            }
            out += "\""
        case .token(let token):
            guard isToken(token) else { return false }
            out += token
        case .undecodedByteSequence(let base64):
            out += ":" + base64 + ":"
        case .bool(let value):
            out += value ? "?1" : "?0"
        case .decimal, .date, .displayString:
            return false
        }
        return true
    }

    private static func isKey(_ key: String) -> Bool {
        guard let first = key.utf8.first, StructuredFieldCharacters.startsKey(first) else { return false }
        return key.utf8.allSatisfy(StructuredFieldCharacters.continuesKey)
    }

    private static func isToken(_ token: String) -> Bool {
        guard let first = token.utf8.first, StructuredFieldCharacters.startsToken(first) else { return false }
        return token.utf8.allSatisfy(StructuredFieldCharacters.continuesToken)
    }
}
