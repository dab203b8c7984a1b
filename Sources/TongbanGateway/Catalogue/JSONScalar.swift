/// A JSON Lines value as import text: booleans and numbers as written, null as absent.
struct JSONScalar: Decodable {
    let text: String?

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { text = nil } else if let bool = try? container.decode(Bool.self) { text = bool ? "true" : "false" }
        else if let int = try? container.decode(Int.self) { text = String(int) }
        else if let double = try? container.decode(Double.self) { text = String(double) }
        else { text = try container.decode(String.self) }
    }
}
