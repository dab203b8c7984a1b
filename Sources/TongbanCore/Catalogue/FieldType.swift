/// The data type of an information item (信息项).
public enum FieldType: String, Codable, Sendable, CaseIterable {
    case string, integer, decimal, boolean, date, code
}

/// How a sensitive value is shown when it may not be disclosed in clear.
public enum MaskingRule: String, Codable, Sendable, CaseIterable {
    /// `110105********002X`: address code and last four characters kept.
    case idNumber = "id-number"
    /// `张*`: the first character kept.
    case name
    /// Every character replaced.
    case full
}

/// A code system a `code` field's values must belong to.
public enum CodeSystem: String, Codable, Sendable, CaseIterable {
    /// Citizen identity numbers, GB 11643 (check character, birth date, address code).
    case gb11643 = "GB11643"
    /// Administrative division codes, GB/T 2260.
    case gb2260 = "GB2260"
}
