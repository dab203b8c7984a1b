/// 共享类型: how a resource may be shared with other government departments (政务信息资源共享管理暂行办法).
public enum ShareType: String, Codable, Sendable, CaseIterable {
    /// 无条件共享: any federation member, for a matter that needs it.
    case unconditional
    /// 有条件共享: only under an active grant.
    case conditional
    /// 不予共享: listed in the directory, never served.
    case none

    public var chineseName: String {
        switch self {
        case .unconditional: "无条件共享"
        case .conditional: "有条件共享"
        case .none: "不予共享"
        }
    }
}

/// 开放类型: whether the resource is open to the public.
public enum OpenType: String, Codable, Sendable, CaseIterable {
    case unconditional, conditional, none
}

/// 更新周期.
public enum UpdateCycle: String, Codable, Sendable, CaseIterable {
    case realtime, daily, weekly, monthly, quarterly, yearly, irregular
}

/// 信息资源分类: basic (基础), thematic (主题) or departmental (部门) catalogue.
public enum CategoryKind: String, Codable, Sendable, CaseIterable {
    case basic, theme, department
}
