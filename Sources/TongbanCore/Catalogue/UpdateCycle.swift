/// 更新周期.
public enum UpdateCycle: String, Codable, Sendable, CaseIterable {
    case realtime, daily, weekly, monthly, quarterly, yearly, irregular
}
