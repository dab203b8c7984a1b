/// 开放类型: whether the resource is open to the public.
public enum OpenType: String, Codable, Sendable, CaseIterable {
    case unconditional, conditional, none
}
