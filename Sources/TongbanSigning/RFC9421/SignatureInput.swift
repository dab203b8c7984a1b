import RawStructuredFieldValues

/// One signature's covered components and parameters — a member of `Signature-Input` (RFC 9421 §4.1), kept
/// as the inner list it was parsed from so `@signature-params` re-serialises exactly.
public struct SignatureInput: Sendable {
    /// The inner list as parsed; nil when the input was built (then `innerList` makes it on demand).
    private let parsedList: InnerList?
    public let components: [ComponentIdentifier]
    /// The value of the `@signature-params` line and of the `Signature-Input` member (serialised once).
    public let serialized: String

    /// The input as a structured-field inner list: the one parsed, or one made from the components and parameters.
    public var innerList: InnerList { parsedList ?? Self.innerList(components, Self.parameters(created, expires, keyID, nonce, algorithm, tag)) }

    public init(components: [ComponentIdentifier], created: Int64?, keyID: String?, algorithm: String?,
                expires: Int64? = nil, nonce: String? = nil, tag: String? = nil) {
        parsedList = nil
        self.components = components
        (self.created, self.expires, self.keyID, self.algorithm, self.nonce, self.tag) = (created, expires, keyID, algorithm, nonce, tag)
        let parameters = Self.parameters(created, expires, keyID, nonce, algorithm, tag)
        serialized = StructuredFieldText.innerList(serializedItems: components.map(\.serialized), parameters: parameters)
            ?? Self.serialize(Self.innerList(components, parameters))
    }

    init(innerList: InnerList) throws(SignatureError) {
        var components: [ComponentIdentifier] = []
        for item in innerList.bareInnerList { components.append(try ComponentIdentifier(item: item)) }
        parsedList = innerList
        self.components = components
        var (created, expires, keyID, algorithm, nonce, tag): (Int64?, Int64?, String?, String?, String?, String?) = (nil, nil, nil, nil, nil, nil)
        for (name, value) in innerList.rfc9651Parameters {
            switch (name, value) {
            case ("created", .integer(let v)): created = v
            case ("expires", .integer(let v)): expires = v
            case ("keyid", .string(let v)): keyID = v
            case ("alg", .string(let v)): algorithm = v
            case ("nonce", .string(let v)): nonce = v
            case ("tag", .string(let v)): tag = v
            default: break
            }
        }
        (self.created, self.expires, self.keyID, self.algorithm, self.nonce, self.tag) = (created, expires, keyID, algorithm, nonce, tag)
        // Each component was serialised when it was read; only the parameters are written here.
        serialized = StructuredFieldText.innerList(serializedItems: components.map(\.serialized), parameters: innerList.rfc9651Parameters)
            ?? Self.serialize(innerList)
    }
    // The parameters RFC 9421 §2.3 defines, read once: every request's checks ask for several of them, and reading
    // them from the library's generic parameter map each time showed in the benchmark's profile.
    public let created: Int64?
    public let expires: Int64?
    public let keyID: String?
    public let algorithm: String?
    public let nonce: String?
    public let tag: String?

    static func serialize(_ innerList: InnerList) -> String {
        StructuredDictionary.serialize(.innerList(innerList)) ?? ""
    }

    /// The parameters RFC 9421 §2.3 defines, in the order Tongban writes them.
    static func parameters(_ created: Int64?, _ expires: Int64?, _ keyID: String?, _ nonce: String?, _ algorithm: String?,
                           _ tag: String?) -> [(String, RFC9651BareItem)] {
        var parameters: [(String, RFC9651BareItem)] = []
        parameters.reserveCapacity(6)
        if let created { parameters.append(("created", .integer(created))) }
        if let expires { parameters.append(("expires", .integer(expires))) }
        if let keyID { parameters.append(("keyid", .string(keyID))) }
        if let nonce { parameters.append(("nonce", .string(nonce))) }
        if let algorithm { parameters.append(("alg", .string(algorithm))) }
        if let tag { parameters.append(("tag", .string(tag))) }
        return parameters
    }

    static func innerList(_ components: [ComponentIdentifier], _ parameters: [(String, RFC9651BareItem)]) -> InnerList {
        var list = BareInnerList()
        for component in components { list.append(component.item) }
        var map = OrderedMap<String, RFC9651BareItem>()
        for (name, value) in parameters { map[name] = value }
        return InnerList(bareInnerList: list, parameters: map)
    }
}
