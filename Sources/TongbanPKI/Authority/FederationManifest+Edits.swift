import Foundation
import TongbanCore

/// The authority's edits of a draft manifest, as pure functions: the draft in, the edited draft out, or the one
/// `ManifestProblem` (field and reason) that refuses the edit. Nothing here reads a file or a clock: the
/// workspace (`AuthorityWorkspace`) checks certificates, passes the time, and writes what comes out.
extension FederationManifest {
    /// Where `province` is listed, if it is.
    public func memberIndex(_ province: ProvinceCode) -> Int? { members.firstIndex { $0.province == province.rawValue } }

    /// `member` appended; refused when its province is listed already or a URL is not `https://HOST[:PORT]`.
    public func addingMember(_ member: FederationMember) throws(ManifestProblem) -> FederationManifest {
        let at = "members[\(members.count)]"
        if let existing = members.firstIndex(where: { $0.province == member.province }) {
            throw ManifestProblem(at + ".province", "province \(member.province) is already a member (members[\(existing)]); use member update")
        }
        try Self.checkURLs(member.urls, at: at)
        if let kid = member.signingKeys.first?.kid, let owner = keyOwner(kid) {
            throw ManifestProblem(at + ".signingKeys[0].kid", "key \(kid.prefix(16)) is listed already, for province \(owner)")
        }
        var draft = self, member = member
        member.urls = member.urls.map(PeerURL.normalized)
        draft.members.append(member)
        return draft
    }

    /// The member of `province` with its URLs replaced, renamed, a TLS pin added or removed, its accepted algorithms
    /// set (an empty `accepts` removes the list: every algorithm), whichever is given.
    public func updatingMember(_ province: ProvinceCode, urls: [String]? = nil, name: String? = nil, addingPin: String? = nil,
                               removingPin: String? = nil, accepts: [String]? = nil) throws(ManifestProblem) -> FederationManifest {
        let i = try index(of: province)
        let at = "members[\(i)]"
        guard urls != nil || name != nil || addingPin != nil || removingPin != nil || accepts != nil else {
            throw ManifestProblem(at, "nothing to update: give new URLs, a name, a TLS certificate to pin, a pin to remove or the accepted algorithms")
        }
        var member = members[i]
        if let urls {
            try Self.checkURLs(urls, at: at)
            member.urls = urls.map(PeerURL.normalized)
        }
        if let name {
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ManifestProblem(at + ".name", "is empty") }
            member.name = name
        }
        if let pin = addingPin {
            guard ManifestRules.isPin(pin) else {
                throw ManifestProblem(at + ".tlsPins", "'\(pin)' is not \(FederationMember.pinPrefix) and 64 hex digits")
            }
            if let j = member.tlsPins.firstIndex(of: pin) { throw ManifestProblem(at + ".tlsPins[\(j)]", "that TLS key is pinned already") }
            member.tlsPins.append(pin)
        }
        if let pin = removingPin {
            guard let j = member.tlsPins.firstIndex(of: pin) else {
                throw ManifestProblem(at + ".tlsPins", "province \(province) has no pin '\(pin)' (pins: \(member.tlsPins.joined(separator: ", ")))")
            }
            guard member.tlsPins.count > 1 else {
                throw ManifestProblem(at + ".tlsPins[\(j)]", "the province's only TLS pin: pin its new TLS certificate first, or suspend it")
            }
            member.tlsPins.remove(at: j)
        }
        if let accepts {
            for (j, alg) in accepts.enumerated() where !ManifestRules.algorithms.contains(alg) {
                throw ManifestProblem(at + ".accepts[\(j)]", "'\(alg)' is not one of \(ManifestRules.algorithms.joined(separator: ", "))")
            }
            guard Set(accepts).count == accepts.count else { throw ManifestProblem(at + ".accepts", "lists an algorithm twice") }
            member.accepts = accepts.isEmpty ? nil : accepts
        }
        var draft = self
        draft.members[i] = member
        return draft
    }

    /// The member of `province` suspended or made active again; refused when it already has that status.
    public func settingStatus(_ status: FederationMember.Status, of province: ProvinceCode) throws(ManifestProblem) -> FederationManifest {
        let i = try index(of: province)
        guard members[i].status != status else { throw ManifestProblem("members[\(i)].status", "province \(province) is \(status.rawValue) already") }
        var draft = self
        draft.members[i].status = status
        return draft
    }

    /// `province` no longer listed (its keys with it; revocations stay).
    public func removingMember(_ province: ProvinceCode) throws(ManifestProblem) -> FederationManifest {
        let i = try index(of: province)
        var draft = self
        draft.members.remove(at: i)
        return draft
    }

    /// `key` added to `province`'s signing keys. Refused for a kid listed anywhere already, an empty window, and a
    /// key whose window overlaps no unrevoked key of the province while the province has a key in force at `time`:
    /// a rotation must never leave the province a moment without a valid key.
    public func addingKey(_ key: MemberSigningKey, to province: ProvinceCode, at time: Date) throws(ManifestProblem) -> FederationManifest {
        let i = try index(of: province)
        let at = "members[\(i)].signingKeys[\(members[i].signingKeys.count)]"
        if let owner = keyOwner(key.kid) {
            throw ManifestProblem(at + ".kid", "key \(key.kid.prefix(16)) is listed already, for province \(owner)")
        }
        guard key.notAfter > key.notBefore else {
            throw ManifestProblem(at + ".notAfter", "the key's window is empty: \(ISO8601.string(key.notBefore)) to \(ISO8601.string(key.notAfter)) "
                                  + "(the certificate's validity bounds it)")
        }
        let unrevoked = members[i].signingKeys.filter { !isRevoked(kid: $0.kid) }
        if !keysInForce(of: province, at: time).isEmpty,
           !unrevoked.contains(where: { $0.notBefore < key.notAfter && key.notBefore < $0.notAfter }) {
            let windows = unrevoked.map { "\(ISO8601.string($0.notBefore))–\(ISO8601.string($0.notAfter))" }.joined(separator: ", ")
            throw ManifestProblem(at + ".notBefore", "a key that overlaps nothing: its window \(ISO8601.string(key.notBefore))–"
                                  + "\(ISO8601.string(key.notAfter)) overlaps none of province \(province)'s keys (\(windows)), "
                                  + "so signatures would fail between them")
        }
        var draft = self
        draft.members[i].signingKeys.append(key)
        return draft
    }

    /// The key `kid` of `province` out of force from `time` (its `notAfter`). Refused when no other unrevoked key
    /// of the province is in force at `time`: retiring the last one would stop its signatures being accepted.
    public func retiringKey(_ kid: String, of province: ProvinceCode, at time: Date) throws(ManifestProblem) -> FederationManifest {
        let i = try index(of: province)
        guard let j = members[i].signingKeys.firstIndex(where: { $0.kid == kid }) else {
            throw ManifestProblem("members[\(i)].signingKeys", "province \(province) has no key \(kid) "
                                  + "(keys: \(members[i].signingKeys.map { String($0.kid.prefix(16)) + "…" }.joined(separator: ", ")))")
        }
        let at = "members[\(i)].signingKeys[\(j)]"
        let key = members[i].signingKeys[j]
        guard time > key.notBefore else {
            throw ManifestProblem(at + ".notAfter",
                                  "cannot retire at \(ISO8601.string(time)), before the key comes into force (\(ISO8601.string(key.notBefore)))")
        }
        guard time < key.notAfter else {
            throw ManifestProblem(at + ".notAfter", "the key is out of force already from \(ISO8601.string(key.notAfter))")
        }
        guard keysInForce(of: province, at: time).contains(where: { $0.kid != kid }) else {
            throw ManifestProblem(at, "the province's last key in force at \(ISO8601.string(time)): add its next key first (federation key add)")
        }
        var draft = self
        draft.members[i].signingKeys[j].notAfter = time
        return draft
    }

    /// A revocation appended. `id` is a key id listed in the manifest (for `.key`) or a certificate serial in hex
    /// (for `.certificate`, normalised to lowercase without colons or leading zeros); the reason is required.
    public func revoking(_ kind: ManifestRevocation.Kind, id rawID: String, reason: String,
                         at time: Date) throws(ManifestProblem) -> FederationManifest {
        let at = "revocations[\(revocations.count)]"
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ManifestProblem(at + ".reason", "a revocation gives its reason") }
        let id: String
        switch kind {
        case .key:
            id = rawID.lowercased()
            guard keyOwner(id) != nil else { throw ManifestProblem(at + ".id", "key \(rawID) is not in the manifest") }
        case .certificate:
            id = ManifestRevocation.normalizedSerial(rawID)
            guard ASCIIShape.isLowercaseHex(id, length: 1...40) else {
                throw ManifestProblem(at + ".id", "'\(rawID)' is not a certificate serial in hex")
            }
        }
        if let existing = revocations.firstIndex(where: { $0.kind == kind && $0.id == id }) {
            throw ManifestProblem(at + ".id", "\(kind.rawValue) \(id.prefix(16)) is revoked already (revocations[\(existing)])")
        }
        var draft = self
        draft.revocations.append(ManifestRevocation(kind: kind, id: id, at: time, reason: reason))
        return draft
    }

    /// The matters list replaced; refused when a matter breaks the manifest's rules (empty code, duplicate, no need).
    public func replacingMatters(_ matters: [Matter]) throws(ManifestProblem) -> FederationManifest {
        guard !matters.isEmpty else { throw ManifestProblem("matters", "the list is empty") }
        var draft = self
        draft.matters = matters
        if let problem = ManifestRules.problems(draft).first(where: { $0.field.hasPrefix("matters") }) { throw problem }
        return draft
    }

    /// `province`'s keys in force at `time` and not revoked.
    public func keysInForce(of province: ProvinceCode, at time: Date) -> [MemberSigningKey] {
        guard let i = memberIndex(province) else { return [] }
        return members[i].signingKeys.filter { $0.isInForce(at: time) && !isRevoked(kid: $0.kid) }
    }

    /// The province that lists `kid`, if any.
    public func keyOwner(_ kid: String) -> String? {
        members.first { $0.signingKeys.contains { $0.kid == kid } }?.province
    }

    func isRevoked(kid: String) -> Bool { revocations.contains { $0.kind == .key && $0.id == kid } }

    func index(of province: ProvinceCode) throws(ManifestProblem) -> Int {
        guard let i = memberIndex(province) else {
            throw ManifestProblem("members", "province \(province) is not a member (members: \(members.map(\.province).joined(separator: ", ")))")
        }
        return i
    }

    static func checkURLs(_ urls: [String], at path: String) throws(ManifestProblem) {
        guard !urls.isEmpty else { throw ManifestProblem(path + ".urls", "lists no peer URL") }
        for (j, url) in urls.enumerated() where !PeerURL.isValid(url) {
            throw ManifestProblem(path + ".urls[\(j)]", "must be https://HOST[:PORT] with no path, not '\(url)'")
        }
    }
}
