import RawStructuredFieldValues

/// One signature's covered components and parameters — a member of `Signature-Input` (RFC 9421 §4.1), kept
/// as the inner list it was parsed from so `@signature-params` re-serialises exactly.
public struct SignatureInput: Sendable {
    public let innerList: InnerList
    public let components: [ComponentIdentifier]
    /// The value of the `@signature-params` line and of the `Signature-Input` member (serialised once).
    public let serialized: String

    public init(components: [ComponentIdentifier], created: Int64?, keyID: String?, algorithm: String?,
                expires: Int64? = nil, nonce: String? = nil, tag: String? = nil) {
        var list = BareInnerList()
        for component in components { list.append(component.item) }
        var parameters = OrderedMap<String, RFC9651BareItem>()
        if let created { parameters["created"] = .integer(created) }
        if let expires { parameters["expires"] = .integer(expires) }
        if let keyID { parameters["keyid"] = .string(keyID) }
        if let nonce { parameters["nonce"] = .string(nonce) }
        if let algorithm { parameters["alg"] = .string(algorithm) }
        if let tag { parameters["tag"] = .string(tag) }
        innerList = InnerList(bareInnerList: list, parameters: parameters)
        self.components = components
        (self.created, self.expires, self.keyID, self.algorithm, self.nonce, self.tag) = (created, expires, keyID, algorithm, nonce, tag)
        serialized = Self.serialize(innerList)
    }

    init(innerList: InnerList) throws(SignatureError) {
        var components: [ComponentIdentifier] = []
        for item in innerList.bareInnerList { components.append(try ComponentIdentifier(item: item)) }
        self.innerList = innerList
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
        serialized = Self.serialize(innerList)
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
}
