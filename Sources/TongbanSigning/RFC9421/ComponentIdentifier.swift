import RawStructuredFieldValues

/// A covered component (RFC 9421 §2): a field name or derived component (`@method`) with parameters
/// such as `req`, `key="…"` or `name="…"`, kept as the structured-field item it is serialised as.
public struct ComponentIdentifier: Sendable, Hashable, CustomStringConvertible {
    public let item: Item
    /// The identifier as it appears in a signature base line, e.g. `"signature";req;key="tongban"` — serialised
    /// once: comparisons and every base line use it.
    public let serialized: String

    public init(_ name: String, req: Bool = false, key: String? = nil, queryName: String? = nil) {
        var parameters = OrderedMap<String, RFC9651BareItem>()
        if let queryName { parameters["name"] = .string(queryName) }
        if req { parameters["req"] = .bool(true) }
        if let key { parameters["key"] = .string(key) }
        item = Item(bareItem: .string(name.lowercased()), parameters: parameters)
        serialized = Self.serialize(item)
    }

    init(item: Item) throws(SignatureError) {
        guard case .string(let name) = item.rfc9651BareItem, !name.isEmpty else {
            throw SignatureError(.invalid, "a covered component is not a string")
        }
        self.item = item
        serialized = Self.serialize(item)
    }

    public var name: String {
        if case .string(let name) = item.rfc9651BareItem { return name }
        return ""
    }

    public var isDerived: Bool { name.hasPrefix("@") }
    public var fromRequest: Bool { parameter("req") == .bool(true) }
    public var key: String? { if case .string(let k) = parameter("key") { return k } else { return nil } }
    public var queryName: String? { if case .string(let n) = parameter("name") { return n } else { return nil } }

    func parameter(_ name: String) -> RFC9651BareItem? {
        item.rfc9651Parameters.first { $0.0 == name }?.1
    }

    static func serialize(_ item: Item) -> String {
        if let text = StructuredDictionary.serialize(.item(item)) { return text }
        if case .string(let name) = item.rfc9651BareItem { return "\"\(name)\"" }
        return "\"\""
    }

    public var description: String { serialized }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.serialized == rhs.serialized }
    public func hash(into hasher: inout Hasher) { hasher.combine(serialized) }
}
