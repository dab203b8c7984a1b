/// What a hostile case got, and whether that breaks its verdict.
enum HostileOutcome: Sendable, Equatable {
    /// 2xx or 3xx.
    case accepted(Int)
    /// 4xx `application/problem+json` with a `tongban.` code; `signed`: with a `Signature` field.
    case problem(Int, code: String, signed: Bool)
    /// 4xx without a problem code (the HTTP parser's own refusal).
    case plain(Int)
    case serverError(Int)
    /// No whole response: the connection or the TLS handshake ended.
    case closed(String)
    case timeout

    init(_ reply: RawConnection.Reply, head: Bool) {
        switch reply {
        case .timeout: self = .timeout
        case .closed(let reason): self = .closed(reason)
        case .response(let response):
            let signed = response.field("Signature") != nil
            switch response.status {
            case ..<400: self = .accepted(response.status)
            case 500...: self = .serverError(response.status)
            default:
                if let code = response.problemCode {
                    self = .problem(response.status, code: code, signed: signed)
                } else if head, response.field("Content-Type")?.hasPrefix("application/problem+json") == true {
                    self = .problem(response.status, code: "(HEAD: no body)", signed: signed)
                } else {
                    self = .plain(response.status)
                }
            }
        }
    }

    /// The table's column for this outcome.
    var column: String {
        switch self {
        case .accepted: "2xx"
        case .problem(let status, _, _): String(status)
        case .plain: "4xx plain"
        case .serverError: "5xx"
        case .closed: "closed"
        case .timeout: "timeout"
        }
    }

    /// Why this outcome breaks `verdict` for a case sent to `target`, or nil when it does not.
    func violation(of verdict: HostileVerdict, target: HostileTarget) -> String? {
        switch self {
        case .serverError(let status): return "answered \(status)"
        case .timeout: return "no answer within the timeout"
        default: break
        }
        switch (verdict, self) {
        case (.accept, .accepted): return nil
        case (.accept, _): return "a control was not accepted: \(self)"
        case (_, .problem(_, _, let signed)) where target.signsRefusals && !signed: return "a refusal on the peer listener is not signed"
        case (.neutral, .accepted), (.neutral, .problem): return nil
        case (.neutral, _): return "a neutral change got \(self)"
        case (.tolerate, _): return nil
        case (.refuse(let statuses), .problem(let status, _, _)):
            if let statuses, !statuses.contains(status) { return "refused with \(status), not \(statuses.sorted())" }
            return nil
        case (.refuse, .accepted(let status)): return "accepted (\(status)) though it must be refused"
        case (.refuse, _): return "not refused with a problem code: \(self)"
        case (.reject, .accepted(let status)), (.elsewhere, .accepted(let status)): return "accepted (\(status)) though it must be refused"
        case (.reject, _), (.elsewhere, _): return nil
        }
    }
}
