import Foundation
import TongbanCore
import TongbanPKI
import TongbanSigning

/// The manifest in force, with everything derived from it built once when it is applied: the index of
/// members, keys and revocations, each signing key parsed, and the request verifier with the federation's
/// window and skew. Replaced whole when a newer manifest is applied; a request reads it once.
final class ActiveFederation: Sendable {
    let index: FederationIndex
    /// The JWS as verified: kept on disk as the last good copy and served to peers at `GET /v1/federation`.
    let jws: String
    let source: String
    let appliedAt: Date
    let verifier: MessageVerifier
    /// The federation's SM2 distinguishing ID (`protocol.sm2DistinguishingID`), as bytes.
    let sm2ID: [UInt8]
    private let keys: [String: MessageVerificationKey]

    var manifest: FederationManifest { index.manifest }

    init(_ verified: VerifiedManifest, source: String, appliedAt: Date = Date()) {
        index = FederationIndex(verified.manifest)
        jws = verified.jws
        self.source = source
        self.appliedAt = appliedAt
        let settings = verified.manifest.protocol
        verifier = MessageVerifier(label: TongbanProfile.label, window: .seconds(settings.signatureWindowSeconds),
                                   skew: .seconds(settings.clockSkewSeconds))
        sm2ID = Array(settings.sm2ID.utf8)
        var keys: [String: MessageVerificationKey] = [:]
        for member in verified.manifest.members {
            for entry in member.signingKeys { keys[entry.kid] = MessageVerificationKey(entry, sm2ID: sm2ID) }
        }
        self.keys = keys
    }

    /// The key `keyID` of `caller`'s signatures, as the manifest decides at `time`, or the refusal.
    func verificationKey(_ keyID: String, of caller: ProvinceCode, at time: Date = Date(), requireActive: Bool = true) throws(TongbanError) -> MessageVerificationKey {
        switch index.signingKey(keyID, of: caller, at: time, requireActive: requireActive) {
        case .failure(let refusal): throw TongbanError(refusal.code, refusal.reason)
        case .success:
            guard let key = keys[keyID] else {
                throw TongbanError(.signatureInvalid, "key \(keyID.prefix(16)) of province \(caller) in the manifest does not read as its algorithm")
            }
            return key
        }
    }

    /// Refuses (`tongban.signature.algorithm`) a message to `own` signed by `sender` with an algorithm `own`'s
    /// `accepts` in the manifest does not list (a province that requires `sm2-sm3` refuses P-256 and Ed25519).
    func requireAccepted(_ algorithm: SignatureAlgorithm, own: ProvinceCode, from sender: ProvinceCode) throws(TongbanError) {
        guard let member = index.member(own), !member.accepts(algorithm.rawValue) else { return }
        throw TongbanError(.signatureAlgorithm, "province \(own) accepts \((member.accepts ?? []).joined(separator: ", ")) only "
                           + "(its accepts in manifest serial \(manifest.serial)); \(sender) signed with \(algorithm.rawValue)")
    }

    /// Where the manifest stands against the clock: `ok`, `expiring`, `grace` or `expired` (exchanges refused).
    func expiry(at time: Date = Date(), warning: Int, grace: Int) -> Expiry {
        let expiresAt = manifest.expiresAt
        if time >= expiresAt.addingTimeInterval(TimeInterval(grace)) { return .expired }
        if time >= expiresAt { return .grace }
        if time >= expiresAt.addingTimeInterval(-TimeInterval(warning)) { return .expiring }
        return .ok
    }

    enum Expiry: String {
        case ok, expiring, grace, expired
    }
}
