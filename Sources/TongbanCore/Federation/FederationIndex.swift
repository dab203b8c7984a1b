import Foundation

/// A verified manifest with its look-ups built once: members by province, signing keys by key id, revocations.
/// Every admission decision of the gateway is read from here.
public struct FederationIndex: Sendable {
    public let manifest: FederationManifest
    private let members: [String: FederationMember]
    private let keys: [String: (province: String, key: MemberSigningKey)]
    private let revokedKeys: [String: ManifestRevocation]
    private let revokedCertificates: [String: ManifestRevocation]

    public init(_ manifest: FederationManifest) {
        self.manifest = manifest
        var members: [String: FederationMember] = [:], keys: [String: (String, MemberSigningKey)] = [:]
        for member in manifest.members {
            members[member.province] = member
            for key in member.signingKeys { keys[key.kid] = (member.province, key) }
        }
        self.members = members
        self.keys = keys
        var revokedKeys: [String: ManifestRevocation] = [:], revokedCertificates: [String: ManifestRevocation] = [:]
        for revocation in manifest.revocations {
            switch revocation.kind {
            case .key: revokedKeys[revocation.id] = revocation
            case .certificate: revokedCertificates[ManifestRevocation.normalizedSerial(revocation.id)] = revocation
            }
        }
        self.revokedKeys = revokedKeys
        self.revokedCertificates = revokedCertificates
    }

    public func member(_ province: ProvinceCode) -> FederationMember? { members[province.rawValue] }

    /// Every member but `own`, in the manifest's order.
    public func peers(of own: ProvinceCode) -> [FederationMember] { manifest.members.filter { $0.province != own.rawValue } }

    /// Whether `province` may call (or be called) at all: a member, and active.
    public func admitMember(_ province: ProvinceCode) -> FederationDecision {
        guard let member = members[province.rawValue] else {
            return .refused(.peerUnknown, "province \(province) is not a member of federation \(manifest.federation) (manifest serial \(manifest.serial))")
        }
        guard member.status == .active else {
            return .refused(.memberSuspended, "province \(province) is suspended by the federation manifest (serial \(manifest.serial))")
        }
        return .admitted
    }

    /// A TLS client certificate of `province` whose SubjectPublicKeyInfo hashes to `pin` (`sha256/…`) and whose serial
    /// is `serial` (lowercase hex): the province must be an active member, the pin one of its pins, the serial not revoked.
    public func admitTLS(province: ProvinceCode, pin: String, serial: String, at time: Date = Date()) -> FederationDecision {
        let membership = admitMember(province)
        guard membership.isAdmitted, let member = members[province.rawValue] else { return membership }
        if let revocation = revokedCertificates[ManifestRevocation.normalizedSerial(serial)], revocation.at <= time {
            return .refused(.certificateRevoked, "province \(province)'s TLS certificate \(serial) was revoked (\(revocation.reason))")
        }
        guard member.tlsPins.contains(pin) else {
            return .refused(.certificateRevoked, "province \(province)'s TLS key \(pin.prefix(23))… is not one of its pins in manifest serial \(manifest.serial)")
        }
        return .admitted
    }

    /// The key `kid` for a signature of `caller`: listed for that very province, in force at `time`, not revoked,
    /// and the province active — unless `requireActive` is false: an answer to a request sent before the province
    /// was suspended is still accepted (no answer in flight is lost; no new request goes to a suspended member).
    public func signingKey(_ kid: String, of caller: ProvinceCode, at time: Date = Date(), requireActive: Bool = true) -> Result<MemberSigningKey, KeyRefusal> {
        let membership = admitMember(caller)
        if case .refused(let code, let reason) = membership, requireActive || code != .memberSuspended {
            return .failure(KeyRefusal(code: code, reason: reason))
        }
        guard let (province, key) = keys[kid] else {
            return .failure(KeyRefusal(code: .signatureInvalid, reason: "key \(kid.prefix(16)) is not in the federation manifest (serial \(manifest.serial))"))
        }
        guard province == caller.rawValue else {
            return .failure(KeyRefusal(code: .identityMismatch, reason: "key \(kid.prefix(16)) belongs to province \(province), not to the TLS caller \(caller)"))
        }
        if let revocation = revokedKeys[kid], revocation.at <= time {
            return .failure(KeyRefusal(code: .keyRevoked, reason: "key \(kid.prefix(16)) of province \(caller) was revoked (\(revocation.reason))"))
        }
        guard key.isInForce(at: time) else {
            return .failure(KeyRefusal(code: .signatureInvalid, reason: "key \(kid.prefix(16)) of province \(caller) is in force from "
                                       + "\(ISO8601.string(key.notBefore)) to \(ISO8601.string(key.notAfter)), not now"))
        }
        return .success(key)
    }

    /// Of `candidates` (the key ids this gateway holds), the one to sign with at `time`: listed for `own`, in force,
    /// not revoked, and the latest to come into force. Nil when none is.
    public func signingKeyToUse(own: ProvinceCode, candidates: [String], at time: Date = Date()) -> String? {
        candidates.compactMap { kid -> MemberSigningKey? in
            guard case .success(let key) = signingKey(kid, of: own, at: time) else { return nil }
            return key
        }.max { $0.notBefore < $1.notBefore }?.kid
    }
}

