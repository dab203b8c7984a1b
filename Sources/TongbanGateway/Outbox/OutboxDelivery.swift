import Foundation
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanStore

/// The workflows' outbox (`peer_outbox`): signed messages that must reach a peer even if it is down when they are made —
/// an application's decision, a correction's outcome. Each is sent until the peer acknowledges it (200), at once, then
/// after `applications.retrySeconds`, doubling up to an hour; a peer that refuses it for good ends the attempts. What
/// a message is about, and how its attempt is audited, is its workflow's (`ApplicationDelivery`, `CorrectionDelivery`).
enum OutboxDelivery {
    /// Longest pause between two attempts.
    static let maximumPause: TimeInterval = 3600

    /// Sends every message that is due, each through its workflow.
    static func deliverDue(state: GatewayState, now: Date = Date()) async {
        guard let due = try? await state.store.dueOutboxMessages(at: now) else { return }
        for message in due {
            if message.path.hasPrefix(CorrectionDelivery.pathPrefix) {
                await CorrectionDelivery.deliver(message, state: state)
            } else {
                await ApplicationDelivery.deliver(message, state: state)
            }
        }
    }

    /// The pause before the next attempt at `message`.
    static func pause(after message: OutboxMessage, state: GatewayState) -> TimeInterval {
        min(maximumPause, Double(state.configuration.applications.retrySeconds) * pow(2, Double(min(message.attempts, 20))))
    }

    /// Whether a peer's refusal ends the attempts: it does not know the subject, holds another outcome, or refuses the
    /// sender or the message itself. Anything else (no connection, a 5xx, a 429) is tried again.
    static func isFinal(_ refusal: TongbanError?) -> Bool {
        guard let refusal else { return false }
        return [.applicationUnknown, .applicationDecided, .applicationForbidden, .correctionUnknown, .correctionResolved, .correctionForbidden,
                .requestInvalid].contains(refusal.code)
    }
}
