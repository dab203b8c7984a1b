/// What the policy decided for one request, and why — a value stored verbatim in the audit log.
public struct PolicyDecision: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable {
        case allow, deny
    }

    public var outcome: Outcome
    /// Stable code: `tongban.policy.unconditional`, `tongban.policy.grant`, or the refusal's problem code.
    public var code: String
    public var reason: String
    /// Fields that may be returned, and which of them masked.
    public var fields: [String]
    public var masked: [String]
    public var grantId: String?
    /// HTTP status of a refusal.
    public var status: Int

    public static func deny(_ code: TongbanError.Code, _ reason: String) -> PolicyDecision {
        PolicyDecision(outcome: .deny, code: code.rawValue, reason: reason, fields: [], masked: [], grantId: nil, status: code.status)
    }

    /// The problem a refusal is answered with; the code's own status, whatever this value was decoded from.
    public var refusal: Problem {
        Problem(TongbanError.Code(rawValue: code) ?? .internalError, detail: reason)
    }

    public static func allow(_ code: String, _ reason: String, fields: [String], masked: [String], grantId: String? = nil) -> PolicyDecision {
        PolicyDecision(outcome: .allow, code: code, reason: reason, fields: fields, masked: masked, grantId: grantId, status: 200)
    }
}
