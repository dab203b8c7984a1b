/// 信息资源分类: basic (基础), thematic (主题) or departmental (部门) catalogue.
public enum CategoryKind: String, Codable, Sendable, CaseIterable {
    case basic, theme, department
}
