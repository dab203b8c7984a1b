/// What a generated case must get. Any 5xx, a timeout, or an answer outside the verdict is a violation.
enum HostileVerdict: Sendable, Equatable {
    /// An unmutated request: must be answered 2xx.
    case accept
    /// A change a recipient may tolerate (RFC-equivalent syntax, an ignored extra field): 2xx, or a refusal with a
    /// problem code.
    case neutral
    /// HTTP syntax the parser may refuse (plain 4xx, connection closed) or read as the equivalent request: anything
    /// but a 5xx or no answer.
    case tolerate
    /// Must be refused with `application/problem+json` and a `tongban.` code (signed, on the peer listener), with a
    /// 4xx status among `statuses` when given.
    case refuse(Set<Int>? = nil)
    /// HTTP that the parser itself may reject: a refusal with a problem code, or a plain 4xx, or the connection
    /// closed; never 2xx.
    case reject
    /// Sent to the wrong listener or with the wrong TLS identity: anything but 2xx (a refusal, the connection or the
    /// handshake refused).
    case elsewhere

    static let refused = HostileVerdict.refuse(nil)
}
