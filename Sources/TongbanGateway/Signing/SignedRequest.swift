import TongbanSigning

/// What signature verification established about a peer request, for handlers and the response signer.
struct SignedRequest: Sendable {
    /// The request as signed (its fields include `Signature`, which the response binds to).
    let view: HTTPMessageView
    let input: SignatureInput
    let keyID: String
}
