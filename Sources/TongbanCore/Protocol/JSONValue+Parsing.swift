import Foundation

extension JSONValue {
    /// Parses JSON text into a value, as `JSONDecoder` would (integers that fit in `Int` stay integers), but
    /// several times faster: the benchmark showed decoding stored records through `Codable` was most of a
    /// batch query's cost.
    public static func parse(_ text: String) throws(TongbanError) -> JSONValue {
        var text = text
        let result: Result<JSONValue, TongbanError> = text.withUTF8 { bytes in
            var parser = JSONTextParser(bytes: bytes)
            do throws(TongbanError) {
                let value = try parser.value(depth: 0)
                parser.skipWhitespace()
                guard parser.position == bytes.count else { throw parser.failure("trailing characters") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses UTF-8 JSON bytes, or returns nil when they are not valid UTF-8, not JSON, or repeat a key in an
    /// object — the documents decoders may read differently. For fast paths that leave every such document,
    /// errors included, to `JSONDecoder`.
    public static func parseUnambiguous(_ bytes: UnsafeRawBufferPointer) -> JSONValue? {
        let utf8 = bytes.assumingMemoryBound(to: UInt8.self)
        guard String(validating: utf8, as: UTF8.self) != nil else { return nil }
        var parser = JSONTextParser(bytes: utf8)
        guard let value = try? parser.value(depth: 0) else { return nil }
        parser.skipWhitespace()
        guard parser.position == utf8.count, !parser.repeatedKey else { return nil }
        return value
    }

    /// Checks that UTF-8 bytes are one JSON text (RFC 8259, nested at most 64 deep; a repeated key is allowed) and
    /// throws `tongban.json.invalid` saying where they are not. For what a peer sends, before `JSONDecoder` reads it:
    /// that decoder skips the members it does not decode without checking them (an invalid escape, a leading zero).
    public static func validate(_ bytes: UnsafeRawBufferPointer) throws(TongbanError) {
        let utf8 = bytes.assumingMemoryBound(to: UInt8.self)
        guard String(validating: utf8, as: UTF8.self) != nil else { throw TongbanError(.jsonInvalid, "the body is not UTF-8") }
        var parser = JSONTextParser(bytes: utf8)
        _ = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.position == utf8.count else { throw parser.failure("trailing characters") }
    }
}
