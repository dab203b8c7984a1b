import TongbanCore
import TongbanSigning

/// Where the peer client gets what the federation manifest decides for each call: the key that signs this
/// province's requests now, and the key a callee's answer must be signed with. The gateway answers from its
/// manifest in force (so a rotation or a revocation applies to the next call); tools and tests use `ManifestPeerKeys`.
public protocol PeerKeys: Sendable {
    /// The signer of the next request to `province` (an algorithm it accepts, as the keys' holder prefers).
    func signer(for province: ProvinceCode) -> MessageSigner
    /// The key `keyID` of `province`'s answers, or why it is refused (not in the manifest, revoked, another province's).
    func answerKey(_ keyID: String, of province: ProvinceCode) throws(TongbanError) -> MessageVerificationKey
    /// The verifier of answers (the federation's window and skew); nil uses the client's default.
    func answerVerifier() -> MessageVerifier?
}

extension PeerKeys {
    public func answerVerifier() -> MessageVerifier? { nil }
}
