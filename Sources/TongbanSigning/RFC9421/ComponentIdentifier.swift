import RawStructuredFieldValues

/// A covered component (RFC 9421 §2): a field name or derived component (`@method`) with parameters
/// such as `req`, `key="…"` or `name="…"`, kept as the structured-field item it is serialised as.
public struct ComponentIdentifier: Sendable, Hashable, CustomStringConvertible {
    public let item: Item
    /// The identifier as it appears in a signature base line, e.g. `"signature";req;key="tongban"` — serialised
    /// once: comparisons and every base line use it.
    public let serialized: String
    /// The component's name and the parameters RFC 9421 §2 defines that Tongban reads, taken out of the item once
    /// (every signature base asks for them per component).
    public let name: String
    public let fromRequest: Bool
    public let key: String?
    public let queryName: String?

    public init(_ name: String, req: Bool = false, key: String? = nil, queryName: String? = nil) {
        var parameters = OrderedMap<String, RFC9651BareItem>()
        if let queryName { parameters["name"] = .string(queryName) }
        if req { parameters["req"] = .bool(true) }
        if let key { parameters["key"] = .string(key) }
        item = Item(bareItem: .string(name.lowercased()), parameters: parameters)
        serialized = Self.serialize(item)
        (self.name, self.fromRequest, self.key, self.queryName) = (name.lowercased(), req, key, queryName)
    }

    init(item: Item) throws(SignatureError) {
        guard case .string(let name) = item.rfc9651BareItem, !name.isEmpty else {
            throw SignatureError(.invalid, "a covered component is not a string")
        }
        self.item = item
        serialized = Self.serialize(item)
        var (fromRequest, key, queryName): (Bool, String?, String?) = (false, nil, nil)
        for (parameter, value) in item.rfc9651Parameters {
            switch (parameter, value) {
            case ("req", .bool(let v)): fromRequest = v
            case ("key", .string(let v)): key = v
            case ("name", .string(let v)): queryName = v
            default: break
            }
        }
        (self.name, self.fromRequest, self.key, self.queryName) = (name, fromRequest, key, queryName)
    }

    public var isDerived: Bool { name.hasPrefix("@") }

    static func serialize(_ item: Item) -> String {
        if let text = StructuredDictionary.serialize(.item(item)) { return text }
        if case .string(let name) = item.rfc9651BareItem { return "\"\(name)\"" }
        return "\"\""
    }

    public var description: String { serialized }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.serialized == rhs.serialized }
    public func hash(into hasher: inout Hasher) { hasher.combine(serialized) }
}
