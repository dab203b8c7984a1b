import TongbanCore

/// Carries the audit draft of one peer request from the handler (which knows matter, resource, decision)
/// to the response signer (which knows the signatures), which writes it before the response leaves.
final class AuditRecorder: @unchecked Sendable {
    var draft: AuditEntry?
}
