import TongbanCore

/// Carries the audit draft of one peer request from the handler (which knows matter, resource, decision)
/// to the response signer (which knows the signatures), which writes it before the response leaves.
/// (Request contexts are values passed down the middleware chain; this is the way back up.)
final class AuditRecorder: @unchecked Sendable {
    var draft: AuditEntry?
    /// The verified request, handed back up so the response signer binds to it without parsing it again.
    var signedRequest: SignedRequest?
    /// The calling province, once the TLS identity is known (for the metrics of answers of every kind).
    var caller: ProvinceCode?
    /// Records the answer provides (for the reciprocity metrics).
    var records = 0
}
