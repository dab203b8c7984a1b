/// A request body read often enough on the exchange path to be taken from parsed JSON rather than through
/// `JSONDecoder` (whose `Codable` machinery cost ≈ 2.5 % of a single-record exchange).
///
/// `init(plainJSON:)` answers only for the plain shape — an object with exactly the type's keys (optional ones
/// may be absent or null) holding values of exactly the declared types — and then answers what `JSONDecoder`
/// would. Anything else (an unknown key, another type, a number where a string belongs) is nil, and the caller
/// asks `JSONDecoder`, whose answer and errors stand.
public protocol PlainJSONDecodable: Decodable {
    init?(plainJSON json: JSONValue)
}

extension JSONValue {
    /// The members of an object whose keys are all among `required` and `optional` and include every one of
    /// `required`; nil otherwise.
    func plainMembers(required: Set<String>, optional: Set<String> = []) -> [String: JSONValue]? {
        guard case .object(let members) = self else { return nil }
        var found = 0
        for key in members.keys {
            if required.contains(key) { found += 1 } else if !optional.contains(key) { return nil }
        }
        return found == required.count ? members : nil
    }

    var plainString: String? {
        if case .string(let value) = self { value } else { nil }
    }

    var plainStrings: [String]? {
        guard case .array(let items) = self else { return nil }
        var strings: [String] = []
        strings.reserveCapacity(items.count)
        for item in items {
            guard case .string(let value) = item else { return nil }
            strings.append(value)
        }
        return strings
    }
}
