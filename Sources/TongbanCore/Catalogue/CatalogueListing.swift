/// One province's directory as `tongbanctl catalog list` sees it: fresh, or the last good copy marked stale
/// with its age when the peer cannot be reached, or an error when there is no copy at all.
public struct CatalogueListing: Codable, Sendable, Equatable {
    public var province: String
    public var name: String
    public var local: Bool
    public var stale: Bool
    public var ageSeconds: Double
    public var error: String?
    public var catalogue: CatalogueDocument?

    public init(province: String, name: String, local: Bool, stale: Bool = false, ageSeconds: Double = 0, error: String? = nil,
                catalogue: CatalogueDocument?) {
        self.province = province
        self.name = name
        self.local = local
        self.stale = stale
        self.ageSeconds = ageSeconds
        self.error = error
        self.catalogue = catalogue
    }
}
