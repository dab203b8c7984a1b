/// 信息项: one field of a resource's records.
public struct CatalogueField: Codable, Sendable, Equatable {
    public var name: String
    public var title: String
    public var type: FieldType
    public var required: Bool
    public var sensitive: Bool
    public var masking: MaskingRule?
    public var codeSystem: CodeSystem?

    public init(name: String, title: String, type: FieldType, required: Bool = true, sensitive: Bool = false,
                masking: MaskingRule? = nil, codeSystem: CodeSystem? = nil) {
        self.name = name
        self.title = title
        self.type = type
        self.required = required
        self.sensitive = sensitive
        self.masking = masking
        self.codeSystem = codeSystem
    }
}
