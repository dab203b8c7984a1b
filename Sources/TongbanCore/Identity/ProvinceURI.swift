/// The identity every federation certificate carries as a SAN URI: `urn:tongban:province:CODE`.
public enum ProvinceURI {
    public static let prefix = "urn:tongban:province:"

    public static func make(_ province: ProvinceCode) -> String { prefix + province.rawValue }

    /// The province named by `uri`, or nil when it is not a Tongban province URI.
    public static func parse(_ uri: String) -> ProvinceCode? {
        guard uri.hasPrefix(prefix) else { return nil }
        return try? ProvinceCode(String(uri.dropFirst(prefix.count)))
    }
}
