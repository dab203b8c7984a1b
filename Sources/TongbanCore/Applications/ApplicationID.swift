import Foundation

/// Application ids are made by the requesting gateway and carry its province: `A-11-0123456789abcdef`. The provider
/// accepts an id only from the province it names (the caller's TLS certificate), so ids from different requesters
/// never collide, both sides and both audit chains name an application alike, and a submission sent again after a
/// lost answer is recognised instead of stored twice.
public enum ApplicationID {
    /// A new id for an application made by `province`.
    public static func make(province: ProvinceCode) -> String {
        let hex = UUIDText.lowercased(UUID()).replacingOccurrences(of: "-", with: "")
        return "A-\(province.rawValue)-" + hex.prefix(16)
    }

    /// The requesting province an id names, or nil when `text` is not an application id (checked before it goes
    /// into a path or a query).
    public static func province(of text: String) -> ProvinceCode? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "A", parts[2].count == 16,
              parts[2].unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || ("a"..."f").contains($0) }) else { return nil }
        return try? ProvinceCode(String(parts[1]))
    }

    public static func isWellFormed(_ text: String) -> Bool { province(of: text) != nil }
}
