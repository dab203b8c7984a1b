import TongbanCore

/// A JSON Lines value as imported, with its JSON type kept: the validator refuses a value whose type is not its
/// field's. Numbers keep their value as text (integers as written, others as `Double` prints them).
struct JSONScalar: Decodable {
    let value: ImportedValue

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { value = .null } else if let bool = try? container.decode(Bool.self) { value = .bool(bool) }
        else if let string = try? container.decode(String.self) { value = .string(string) }
        else if let int = try? container.decode(Int.self) { value = .number(String(int)) }
        else { value = .number(String(try container.decode(Double.self))) }
    }
}
