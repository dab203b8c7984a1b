/// How a sensitive value is shown when it may not be disclosed in clear.
public enum MaskingRule: String, Codable, Sendable, CaseIterable {
    /// `110105********002X`: address code and last four characters kept.
    case idNumber = "id-number"
    /// `张*`: the first character kept.
    case name
    /// Every character replaced.
    case full
}
