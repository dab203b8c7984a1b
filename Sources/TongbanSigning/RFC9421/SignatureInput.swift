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
        serialized = Self.serialize(innerList)
    }

    init(innerList: InnerList) throws(SignatureError) {
        var components: [ComponentIdentifier] = []
        for item in innerList.bareInnerList { components.append(try ComponentIdentifier(item: item)) }
        self.innerList = innerList
        self.components = components
        serialized = Self.serialize(innerList)
    }
    public var created: Int64? { if case .integer(let v) = parameter("created") { return v } else { return nil } }
    public var expires: Int64? { if case .integer(let v) = parameter("expires") { return v } else { return nil } }
    public var keyID: String? { if case .string(let v) = parameter("keyid") { return v } else { return nil } }
    public var algorithm: String? { if case .string(let v) = parameter("alg") { return v } else { return nil } }
    public var nonce: String? { if case .string(let v) = parameter("nonce") { return v } else { return nil } }
    public var tag: String? { if case .string(let v) = parameter("tag") { return v } else { return nil } }

    func parameter(_ name: String) -> RFC9651BareItem? {
        innerList.rfc9651Parameters.first { $0.0 == name }?.1
    }

    static func serialize(_ innerList: InnerList) -> String {
        StructuredDictionary.serialize(.innerList(innerList)) ?? ""
    }
}
