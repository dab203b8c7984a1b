import Foundation
import TongbanClient
import TongbanCore
import TongbanSigning

/// The gateway's `PeerKeys`: it signs with the key of its own the manifest in force puts in force last (so a
/// rotation happens at the time the manifest says), and accepts a callee's answer only under a key the manifest
/// lists for the callee, in force and not revoked (the callee may have been suspended since the request left).
struct GatewayPeerKeys: PeerKeys {
    let federation: FederationState
    let own: ProvinceCode
    /// The configured keys: `signing`, then `signing.next` when there is one.
    let signers: [MessageSigner]

    /// The signer of the next request or answer. When none of the configured keys is in force (the gateway then
    /// calls no one: `GatewayState.requireCalling`), answers are signed with `signing`, which peers will refuse.
    func signer() -> MessageSigner { signerInForce() ?? signers[0] }

    /// The configured key the manifest puts in force last, if any.
    func signerInForce() -> MessageSigner? {
        let kid = federation.current.index.signingKeyToUse(own: own, candidates: signers.map(\.keyID))
        return signers.first { $0.keyID == kid }
    }

    /// Answers are checked with the manifest in force's window and skew, as requests are on the listener.
    func answerVerifier() -> MessageVerifier { federation.current.verifier }

    func answerKey(_ keyID: String, of province: ProvinceCode) throws(TongbanError) -> MessageVerificationKey {
        // A suspended callee's answer to a request sent before the suspension is accepted: no answer in flight is
        // lost, and no new request goes to it (`GatewayState.peer`).
        try federation.current.verificationKey(keyID, of: province, requireActive: false)
    }
}
