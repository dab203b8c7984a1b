import Foundation

/// A signed workflow message waiting in `peer_outbox` for its peer: `POST path` with `body`, about `subject`
/// (an application id). The outbox is the workflows' own, so corrections can send through it too.
public struct OutboxMessage: Sendable, Equatable {
    public var id: Int64
    public var peer: String
    public var path: String
    public var body: Data
    public var subject: String
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?

    public init(id: Int64 = 0, peer: String, path: String, body: Data, subject: String, attempts: Int = 0, nextAttemptAt: Date,
                lastError: String? = nil) {
        self.id = id
        self.peer = peer
        self.path = path
        self.body = body
        self.subject = subject
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
    }
}
