/// Whether the manifest lets a province's TLS certificate or signing key in, and if not, which code refuses it
/// and why (a value, so the refusal is audited and logged as decided).
public enum FederationDecision: Sendable, Equatable {
    case admitted
    case refused(TongbanError.Code, String)

    public var isAdmitted: Bool { self == .admitted }
}
