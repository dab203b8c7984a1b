import TongbanCore

/// Whether the peer listener takes a request on, or refuses it with a status, a stable code and how long the
/// caller should wait (`Retry-After`, whole seconds).
enum LimitDecision: Equatable, Sendable {
    case admit
    case refuse(code: TongbanError.Code, retryAfterSeconds: Int, detail: String)
}
