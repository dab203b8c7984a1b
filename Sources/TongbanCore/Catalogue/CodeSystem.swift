/// A code system a `code` field's values must belong to.
public enum CodeSystem: String, Codable, Sendable, CaseIterable {
    /// Citizen identity numbers, GB 11643 (check character, birth date, address code).
    case gb11643 = "GB11643"
    /// Administrative division codes, GB/T 2260.
    case gb2260 = "GB2260"
}
