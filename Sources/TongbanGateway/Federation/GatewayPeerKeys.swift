import Foundation
import TongbanClient
import TongbanCore
import TongbanSigning

/// The gateway's `PeerKeys`. For each peer it signs with the first algorithm of its preference (`signing.algorithms`)
/// that the peer accepts (its `accepts` in the manifest) and for which it holds a key in force; of several keys of
/// that algorithm, the one the manifest put in force last (so a rotation happens at the time the manifest says).
/// It accepts a callee's answer only under a key the manifest lists for the callee, in force and not revoked (the
/// callee may have been suspended since the request left), and of an algorithm this province accepts.
struct GatewayPeerKeys: PeerKeys {
    let federation: FederationState
    let own: ProvinceCode
    /// The configured keys: `signing`, then `signing.next`, then `signing.additional`.
    let signers: [MessageSigner]
    /// Algorithm names, most preferred first.
    let preference: [String]

    init(federation: FederationState, own: ProvinceCode, signers: [MessageSigner], preference: [String]) {
        self.federation = federation
        self.own = own
        self.signers = signers
        var order = preference
        // By default `signing.next` (where a rotation goes) first, then `signing`, then the additional keys.
        let configured = (signers.count > 1 ? [signers[1], signers[0]] + signers.dropFirst(2) : signers).map(\.key.algorithm.rawValue)
        for algorithm in configured where !order.contains(algorithm) && preference.isEmpty { order.append(algorithm) }
        self.preference = order
    }

    /// The signer for messages to `peer` (nil: no particular peer). When no key fits (the gateway then calls no one:
    /// `GatewayState.requireCalling`), the key in force last, or `signing`, which the peer will refuse.
    func signer(for peer: ProvinceCode?) -> MessageSigner {
        let active = federation.current
        let chosen = choice(for: peer.flatMap { active.index.member($0) }, in: active) ?? signerInForce(active) ?? signers[0]
        guard case .sm2 = chosen.key else { return chosen }
        return MessageSigner(key: chosen.key.withSM2ID(active.sm2ID), keyID: chosen.keyID, label: chosen.label)
    }

    func signer(for province: ProvinceCode) -> MessageSigner { signer(for: Optional(province)) }

    /// The signer of the first preferred algorithm `member` accepts (any, for nil) with a configured key in force; nil
    /// when there is none.
    func choice(for member: FederationMember?, in active: ActiveFederation) -> MessageSigner? {
        for algorithm in preference where member?.accepts(algorithm) ?? true {
            let candidates = signers.filter { $0.key.algorithm.rawValue == algorithm }
            guard !candidates.isEmpty else { continue }
            if let kid = active.index.signingKeyToUse(own: own, candidates: candidates.map(\.keyID)) {
                return candidates.first { $0.keyID == kid }
            }
        }
        return nil
    }

    /// The configured key the manifest puts in force last, whatever its algorithm, if any.
    func signerInForce(_ active: ActiveFederation? = nil) -> MessageSigner? {
        let kid = (active ?? federation.current).index.signingKeyToUse(own: own, candidates: signers.map(\.keyID))
        return signers.first { $0.keyID == kid }
    }

    /// Answers are checked with the manifest in force's window and skew, as requests are on the listener.
    func answerVerifier() -> MessageVerifier { federation.current.verifier }

    func answerKey(_ keyID: String, of province: ProvinceCode) throws(TongbanError) -> MessageVerificationKey {
        // A suspended callee's answer to a request sent before the suspension is accepted: no answer in flight is
        // lost, and no new request goes to it (`GatewayState.peer`).
        let active = federation.current
        let key = try active.verificationKey(keyID, of: province, requireActive: false)
        try active.requireAccepted(key.algorithm, own: own, from: province)
        return key
    }
}
