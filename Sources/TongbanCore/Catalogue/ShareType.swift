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
