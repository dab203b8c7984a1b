import RawStructuredFieldValues

/// Parsing a structured dictionary field (RFC 9651 §4.2.2) — `Signature-Input`, `Signature`, `Content-Digest` —
/// and serialising its members.
///
/// swift-http-structured-headers' parser is generic over its input and not inlinable, so from another module
/// it runs unspecialised: every byte goes through witness tables and run-time metadata. The benchmark's
/// profile put it at 11 % of a signed single-record exchange (three dictionaries per request). The fields this
/// gateway sees use a small part of the grammar, which `FastDictionaryParser` reads on contiguous bytes;
/// anything outside that part — decimals, dates, display strings, escapes in strings, a repeated key, any
/// error — is left to the library, so its results and its errors are the only ones there are.
/// `StructuredDictionaryTests` holds the two to the same answers.
public enum StructuredDictionary {
    public static func parse(_ field: String) throws -> OrderedMap<String, ItemOrInnerList> {
        if let fast = field.utf8.withContiguousStorageIfAvailable({ FastDictionaryParser.dictionary(in: $0) }),
           let dictionary = fast {
            return dictionary
        }
        var parser = StructuredFieldValueParser(Array(field.utf8))
        return try parser.parseDictionaryFieldValue()
    }

    /// A member's (or any item's or inner list's) serialisation, RFC 9651 §4.1: `StructuredFieldText` for the
    /// common part, the library for the rest; nil when neither can write it.
    public static func serialize(_ member: ItemOrInnerList) -> String? {
        let fast = switch member {
        case .item(let item): StructuredFieldText.item(item)
        case .innerList(let list): StructuredFieldText.innerList(list)
        }
        if let fast { return fast }
        var serializer = StructuredFieldValueSerializer()
        return (try? serializer.writeListFieldValue([member])).map { String(decoding: $0, as: UTF8.self) }
    }
}
