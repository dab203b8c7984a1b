/// One information resource of the directory (政务信息资源目录编制指南; GB/T 21063.3 core metadata).
public struct CatalogueResource: Codable, Sendable, Equatable {
    public struct Category: Codable, Sendable, Equatable {
        public var kind: CategoryKind
        /// Class path, e.g. ["人口", "户籍"].
        public var path: [String]
        public init(kind: CategoryKind, path: [String]) {
            self.kind = kind
            self.path = path
        }
    }

    public struct Provider: Codable, Sendable, Equatable {
        public var name: String
        public var code: String
        public init(name: String, code: String) {
            self.name = name
            self.code = code
        }
    }

    public struct Sharing: Codable, Sendable, Equatable {
        public var type: ShareType
        public var condition: String?
        public var method: String?
        public init(type: ShareType, condition: String? = nil, method: String? = nil) {
            self.type = type
            self.condition = condition
            self.method = method
        }
    }

    /// 信息资源代码.
    public var code: String
    public var name: String
    public var category: Category
    public var provider: Provider
    public var summary: String
    public var format: String
    public var fields: [CatalogueField]
    /// The field that keys a record, usually the citizen ID number.
    public var subjectField: String
    public var sharing: Sharing
    public var openType: OpenType
    public var updateCycle: UpdateCycle
    /// YYYY-MM-DD.
    public var publishedAt: String
    /// ISO 8601; the latest import's time once records exist.
    public var modifiedAt: String
    public var related: [String]
    /// Records held, when the publisher reports it.
    public var recordCount: Int?

    public init(code: String, name: String, category: Category, provider: Provider, summary: String, format: String,
                fields: [CatalogueField], subjectField: String, sharing: Sharing, openType: OpenType, updateCycle: UpdateCycle,
                publishedAt: String, modifiedAt: String, related: [String] = [], recordCount: Int? = nil) {
        self.code = code
        self.name = name
        self.category = category
        self.provider = provider
        self.summary = summary
        self.format = format
        self.fields = fields
        self.subjectField = subjectField
        self.sharing = sharing
        self.openType = openType
        self.updateCycle = updateCycle
        self.publishedAt = publishedAt
        self.modifiedAt = modifiedAt
        self.related = related
        self.recordCount = recordCount
    }

    public func field(_ name: String) -> CatalogueField? { fields.first { $0.name == name } }
}
