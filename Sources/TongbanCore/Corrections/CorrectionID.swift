import Foundation

/// Correction ids are made by the requesting gateway and carry its province, as application ids do
/// (`ApplicationID`): `C-11-0123456789abcdef`. The provider accepts an id only from the province it names.
public enum CorrectionID {
    public static func make(province: ProvinceCode) -> String {
        let hex = UUIDText.lowercased(UUID()).replacingOccurrences(of: "-", with: "")
        return "C-\(province.rawValue)-" + hex.prefix(16)
    }

    /// The requesting province an id names, or nil when `text` is not a correction id.
    public static func province(of text: String) -> ProvinceCode? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "C", parts[2].count == 16,
              parts[2].unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || ("a"..."f").contains($0) }) else { return nil }
        return try? ProvinceCode(String(parts[1]))
    }

    public static func isWellFormed(_ text: String) -> Bool { province(of: text) != nil }
}
