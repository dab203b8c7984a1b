import Foundation

/// What can happen to a submitted application at the provider, the one place its state changes.
public enum ApplicationEvent: Sendable, Equatable {
    /// The provider's administrator approved it, making this grant.
    case approve(Grant, by: String)
    /// The provider's administrator refused it, with a reason.
    case refuse(reason: String, by: String)
    /// The requesting province withdrew it (`by` is its operator).
    case withdraw(reason: String?, by: String)
    /// Its `expiresAt` passed without a decision.
    case expire
}
