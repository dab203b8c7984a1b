import Foundation
import TongbanConfig
import TongbanCore
import TongbanPKI
import TongbanSigning

/// The checks of a peer request's `tongban` signature and `Content-Digest`, shared by the general path
/// (`RequestSignatureMiddleware`, which turns a failure into its refusal) and the fast path (`FastQuery`, which
/// hands the request to the general path on any failure). The replay cache is the callers' own step: the middleware
/// records the id at once, the fast path only after every other check.
enum RequestVerification {
    struct Verified {
        let input: SignatureInput
        let signature: [UInt8]
        let keyID: String
        let requestID: UUID
    }

    /// Presence and syntax, covered components, freshness, the key (the caller's, in the manifest in force, not
    /// revoked, of an algorithm accepted from it), the signature, the signed `@authority` (a name of this gateway) and the
    /// request id (a UUID). Throws a `Problem` or a `SignatureError`.
    static func signature(of view: HTTPMessageView, hasBody: Bool, authority: String, caller: ProvinceCode,
                          runtime: GatewayRuntime, federation: ActiveFederation) throws -> Verified {
        let verifier = federation.verifier
        let (input, signature) = try verifier.inspect(view, required: TongbanProfile.requestComponents(hasBody: hasBody))
        let keyID = input.keyID ?? ""
        let key: MessageVerificationKey
        do {
            key = try federation.verificationKey(keyID, of: caller)
            try federation.requireAccepted(key.algorithm, own: runtime.configuration.province, from: caller)
        } catch { throw Problem(error.code, detail: error.message) }
        try verifier.verify(input, signature: signature, message: view, key: key)
        // The signature covers `@authority`: it must name this gateway, so a request signed for another
        // province's gateway cannot be replayed here by anyone who holds a federation TLS certificate.
        guard runtime.serviceNames.contains(authority: authority) else {
            throw Problem(.authorityMismatch, detail: "the signed @authority \(authority.prefix(100)) is not a name of this gateway")
        }
        let requestID = view.field(TongbanProfile.requestIDField) ?? ""
        guard let uuid = UUIDText.parse(requestID) else {
            throw Problem(.requestInvalid, detail: "Tongban-Request-Id must be a UUID")
        }
        return Verified(input: input, signature: signature, keyID: keyID, requestID: uuid)
    }

    /// A Content-Digest is checked whenever it is sent, an empty body included: a body left out from under its signed
    /// digest is other content than the one signed. A body without one is refused.
    static func digest<Body: DataProtocol>(of view: HTTPMessageView, body: Body) throws(SignatureError) {
        if let digest = view.field(ContentDigest.fieldName) {
            try ContentDigest.verify(digest, body: body)
        } else if !body.isEmpty {
            throw SignatureError(.incomplete, "a body without Content-Digest")
        }
    }
}
