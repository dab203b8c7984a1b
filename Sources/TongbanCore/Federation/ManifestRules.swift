import Foundation

/// The rules a manifest must meet beyond its JSON shape, checked by the authority before it signs and by every
/// gateway before it applies one. Each problem names its field.
public enum ManifestRules {
    public static let algorithms = ["ecdsa-p256-sha256", "ed25519", "sm2-sm3"]

    public static func problems(_ m: FederationManifest) -> [ManifestProblem] {
        var problems: [ManifestProblem] = []
        func problem(_ field: String, _ message: String) { problems.append(ManifestProblem(field, message)) }
        if m.format != FederationManifest.currentFormat { problem("format", "is '\(m.format)', this version reads '\(FederationManifest.currentFormat)'") }
        if !ASCIIShape.isFederationID(m.federation) {
            problem("federation", "must be 1–63 lowercase letters, digits, dots or hyphens")
        }
        if m.serial < 1 { problem("serial", "must be 1 or more") }
        if m.expiresAt <= m.issuedAt { problem("expiresAt", "must be after issuedAt") }
        if !FederationProtocolSettings.windowRange.contains(m.protocol.signatureWindowSeconds) {
            problem("protocol.signatureWindowSeconds", "must be within \(FederationProtocolSettings.windowRange)")
        }
        if !FederationProtocolSettings.skewRange.contains(m.protocol.clockSkewSeconds) {
            problem("protocol.clockSkewSeconds", "must be within \(FederationProtocolSettings.skewRange)")
        }
        if let id = m.protocol.sm2DistinguishingID,
           id.isEmpty || id.count > 64 || !id.unicodeScalars.allSatisfy({ (0x21...0x7e).contains($0.value) }) {
            problem("protocol.sm2DistinguishingID", "must be 1 to 64 printable ASCII characters")
        }
        var provinces: Set<String> = [], kids: Set<String> = []
        for (i, member) in m.members.enumerated() {
            let at = "members[\(i)]"
            if (try? ProvinceCode(member.province))?.rawValue != member.province {
                problem(at + ".province", "'\(member.province)' is not a two-digit GB/T 2260 province code")
            }
            if !provinces.insert(member.province).inserted { problem(at + ".province", "province \(member.province) is listed twice") }
            if member.name.trimmingCharacters(in: .whitespaces).isEmpty { problem(at + ".name", "is empty") }
            if member.urls.isEmpty { problem(at + ".urls", "lists no peer URL") }
            for (j, url) in member.urls.enumerated() where !PeerURL.isValid(url) {
                problem(at + ".urls[\(j)]", "must be https://HOST[:PORT] with no path, not '\(url)'")
            }
            if member.tlsPins.isEmpty { problem(at + ".tlsPins", "lists no TLS key pin") }
            for (j, pin) in member.tlsPins.enumerated() where !isPin(pin) {
                problem(at + ".tlsPins[\(j)]", "must be \(FederationMember.pinPrefix) and 64 lowercase hex digits")
            }
            if member.signingKeys.isEmpty { problem(at + ".signingKeys", "lists no signing key") }
            if let accepts = member.accepts {
                if accepts.isEmpty { problem(at + ".accepts", "lists no algorithm (leave it out to accept every algorithm)") }
                for (j, alg) in accepts.enumerated() where !algorithms.contains(alg) {
                    problem(at + ".accepts[\(j)]", "'\(alg)' is not one of \(algorithms.joined(separator: ", "))")
                }
                if Set(accepts).count != accepts.count { problem(at + ".accepts", "lists an algorithm twice") }
            }
            for (j, key) in member.signingKeys.enumerated() {
                let kat = at + ".signingKeys[\(j)]"
                if !ASCIIShape.isLowercaseHex(key.kid, length: 64...64) { problem(kat + ".kid", "must be 64 lowercase hex digits") }
                if !kids.insert(key.kid).inserted { problem(kat + ".kid", "key \(key.kid.prefix(16)) is listed twice") }
                if !algorithms.contains(key.alg) { problem(kat + ".alg", "'\(key.alg)' is not one of \(algorithms.joined(separator: ", "))") }
                if (Data(base64Encoded: key.publicKey)?.count ?? 0) < 32 { problem(kat + ".publicKey", "is not a base64 SubjectPublicKeyInfo") }
                if key.notAfter <= key.notBefore { problem(kat + ".notAfter", "must be after notBefore") }
            }
        }
        for (i, revocation) in m.revocations.enumerated() {
            let at = "revocations[\(i)]"
            if !ASCIIShape.isLowercaseHex(revocation.id, length: revocation.kind == .key ? 64...64 : 1...40) {
                problem(at + ".id", revocation.kind == .key ? "must be a key id (64 lowercase hex digits)" : "must be a certificate serial in lowercase hex")
            }
            if revocation.reason.trimmingCharacters(in: .whitespaces).isEmpty { problem(at + ".reason", "a revocation gives its reason") }
        }
        var matterCodes: Set<String> = []
        for (i, matter) in m.matters.enumerated() {
            let at = "matters[\(i)]"
            if matter.code.isEmpty { problem(at + ".code", "is empty") }
            if !matterCodes.insert(matter.code).inserted { problem(at + ".code", "matter \(matter.code) is listed twice") }
            if matter.needs.isEmpty { problem(at + ".needs", "a matter needs at least one resource") }
            for (resource, fields) in matter.needs.sorted(by: { $0.key < $1.key }) where fields.isEmpty {
                problem(at + ".needs.\(resource)", "lists no field")
            }
        }
        return problems
    }

    /// `sha256/` and 64 lowercase hex digits.
    public static func isPin(_ pin: String) -> Bool {
        pin.hasPrefix(FederationMember.pinPrefix) && ASCIIShape.isLowercaseHex(pin.dropFirst(FederationMember.pinPrefix.count), length: 64...64)
    }
}
