import Foundation

/// `GET /v1/catalogue`: a province's published directory. `version` is a digest of the content (computed by
/// the publisher), so it changes exactly when the content does; it is also the `ETag`.
public struct CatalogueDocument: Codable, Sendable, Equatable {
    public var province: String
    public var name: String
    public var version: String
    public var generatedAt: Date
    public var resources: [CatalogueResource]

    public init(province: String, name: String, version: String, generatedAt: Date = Date(), resources: [CatalogueResource]) {
        self.province = province
        self.name = name
        self.version = version
        self.generatedAt = generatedAt
        self.resources = resources
    }

    public func resource(_ code: String) -> CatalogueResource? { resources.first { $0.code == code } }
}
