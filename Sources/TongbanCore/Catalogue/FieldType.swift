/// The data type of an information item (信息项).
public enum FieldType: String, Codable, Sendable, CaseIterable {
    case string, integer, decimal, boolean, date, code
}
