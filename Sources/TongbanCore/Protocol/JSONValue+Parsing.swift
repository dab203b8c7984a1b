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
}
