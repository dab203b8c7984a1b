import Foundation
import TongbanCore
import X509

/// The workspace's edits that take certificates: each certificate is checked against `root.crt` for its role
/// first, and a refusal names `source` (the file it came from, for the command line) and why.
extension AuthorityWorkspace {
    /// Adds a province from its TLS and signing certificates (`FederationMember(tlsCertificate:signingCertificate:…)`).
    @discardableResult
    public func addMember(tlsCertificate: Certificate, signingCertificate: Certificate, urls: [String], name: String? = nil,
                          tlsSource: String = "the TLS certificate", signingSource: String = "the signing certificate",
                          now: Date = Date()) async throws(TongbanError) -> FederationMember {
        let province = try await checkTLS(tlsCertificate, source: tlsSource, at: now)
        try await checkSigning(signingCertificate, of: province, source: signingSource, at: now)
        let member: FederationMember
        do { member = try FederationMember(tlsCertificate: tlsCertificate, signingCertificate: signingCertificate, urls: urls, name: name) } catch {
            throw TongbanError(error.code, "\(signingSource): \(error.message)")
        }
        let draft = try edit("member add \(province) \(urls.joined(separator: " "))") { (draft) throws(ManifestProblem) in
            try draft.addingMember(member)
        }
        return draft.member(province) ?? member
    }

    /// Adds a province from its TLS certificate and a signing key given as its public key (an SM2 key, which has
    /// no certificate: `MemberSigningKey(publicKeyPEM:…)`).
    @discardableResult
    public func addMember(tlsCertificate: Certificate, signingKey: MemberSigningKey, urls: [String], name: String? = nil,
                          tlsSource: String = "the TLS certificate", now: Date = Date()) async throws(TongbanError) -> FederationMember {
        let province = try await checkTLS(tlsCertificate, source: tlsSource, at: now)
        let member = try FederationMember(tlsCertificate: tlsCertificate, signingKey: signingKey, urls: urls, name: name)
        let draft = try edit("member add \(province) \(urls.joined(separator: " ")) (key \(signingKey.alg))") { (draft) throws(ManifestProblem) in
            try draft.addingMember(member)
        }
        return draft.member(province) ?? member
    }

    /// Changes a member: its URLs (replaced), its name, a new TLS certificate's pin added (a TLS key renewal),
    /// a pin removed, the algorithms it accepts (`accepts`: an empty list means every algorithm again).
    @discardableResult
    public func updateMember(province: ProvinceCode, urls: [String]? = nil, name: String? = nil, addTLSCertificate: Certificate? = nil,
                             tlsSource: String = "the TLS certificate", removePin: String? = nil, accepts: [String]? = nil,
                             now: Date = Date()) async throws(TongbanError) -> FederationMember {
        var pin: String?
        if let certificate = addTLSCertificate {
            let named = try await checkTLS(certificate, source: tlsSource, at: now)
            guard named == province else {
                throw TongbanError(.pkiInvalid, "\(tlsSource): the certificate names province \(named), not \(province)")
            }
            pin = TLSPin.of(certificate)
        }
        let draft = try edit("member update \(province)") { (draft) throws(ManifestProblem) in
            try draft.updatingMember(province, urls: urls, name: name, addingPin: pin, removingPin: removePin, accepts: accepts)
        }
        return draft.member(province)!
    }

    /// Suspends a member (`.suspended`, with `reason` in the journal) or lifts its suspension (`.active`).
    public func setStatus(province: ProvinceCode, _ status: FederationMember.Status, reason: String? = nil) throws(TongbanError) {
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if status == .suspended, reason.isEmpty {
            let field = try draft().memberIndex(province).map { "members[\($0)].status" } ?? "members"
            throw TongbanError(.manifestInvalid, "\(draftPath): \(field): a suspension gives its reason")
        }
        try edit("member \(status == .suspended ? "suspend" : "resume") \(province)" + (reason.isEmpty ? "" : ": \(reason)")) {
            (draft) throws(ManifestProblem) in try draft.settingStatus(status, of: province)
        }
    }

    public func removeMember(province: ProvinceCode) throws(TongbanError) {
        try edit("member remove \(province)") { (draft) throws(ManifestProblem) in try draft.removingMember(province) }
    }

    /// Adds a signing key of `province` from its signing certificate, in force from `notBefore` to `notAfter`
    /// (within the certificate's validity; all of it by default).
    @discardableResult
    public func addKey(province: ProvinceCode, signingCertificate: Certificate, notBefore: Date? = nil, notAfter: Date? = nil,
                       source: String = "the signing certificate", now: Date = Date()) async throws(TongbanError) -> MemberSigningKey {
        // A certificate for the next key may not be valid yet: it is checked at the start of the key's window.
        let windowStart = max(notBefore ?? signingCertificate.notValidBefore, signingCertificate.notValidBefore)
        try await checkSigning(signingCertificate, of: province, source: source, at: max(now, windowStart))
        let key: MemberSigningKey
        do { key = try MemberSigningKey(certificate: signingCertificate, notBefore: notBefore, notAfter: notAfter) } catch {
            throw TongbanError(error.code, "\(source): \(error.message)")
        }
        let time = Self.wholeSeconds(now)
        try edit("key add \(province) \(key.kid)") { (draft) throws(ManifestProblem) in try draft.addingKey(key, to: province, at: time) }
        return key
    }

    /// Adds a signing key of `province` given as its manifest entry (`MemberSigningKey(publicKeyPEM:…)`: an SM2 key,
    /// or any key without a certificate). The authority vouches for it by signing the manifest; `source` names it.
    @discardableResult
    public func addKey(province: ProvinceCode, publicKey key: MemberSigningKey, source: String = "the public key",
                       now: Date = Date()) throws(TongbanError) -> MemberSigningKey {
        let time = Self.wholeSeconds(now)
        try edit("key add \(province) \(key.kid) (\(key.alg), \(source))") { (draft) throws(ManifestProblem) in
            try draft.addingKey(key, to: province, at: time)
        }
        return key
    }

    /// Takes the key `kid` of `province` out of force from `at` (now by default).
    public func retireKey(province: ProvinceCode, kid: String, at time: Date = Date()) throws(TongbanError) {
        let time = Self.wholeSeconds(time)
        try edit("key retire \(province) \(kid) at \(ISO8601.string(time))") { (draft) throws(ManifestProblem) in
            try draft.retiringKey(kid.lowercased(), of: province, at: time)
        }
    }

    /// Revokes a signing key (`.key`, by kid) or a certificate (`.certificate`, by serial in hex) from `at`.
    public func revoke(_ kind: ManifestRevocation.Kind, id: String, reason: String, at time: Date = Date()) throws(TongbanError) {
        let time = Self.wholeSeconds(time)
        try edit("revoke \(kind.rawValue) \(id): \(reason)") { (draft) throws(ManifestProblem) in
            try draft.revoking(kind, id: id, reason: reason, at: time)
        }
    }

    /// Revokes `certificate` by its serial.
    public func revoke(certificate: Certificate, reason: String, at time: Date = Date()) throws(TongbanError) {
        try revoke(.certificate, id: certificate.serialHex, reason: reason, at: time)
    }

    /// Replaces the national matters list.
    public func setMatters(_ matters: [Matter]) throws(TongbanError) {
        try edit("matters import (\(matters.count) matters)") { (draft) throws(ManifestProblem) in try draft.replacingMatters(matters) }
    }

    /// The province a TLS certificate speaks for, when it chains to `root.crt` and is valid for both directions.
    func checkTLS(_ certificate: Certificate, source: String, at time: Date) async throws(TongbanError) -> ProvinceCode {
        let trust = try trust()
        do {
            let province = try await trust.verify(certificate, role: .tlsClient, at: time)
            _ = try await trust.verify(certificate, role: .tlsServer, at: time)
            return province
        } catch {
            throw TongbanError(error.code, "\(source): \(error.message)")
        }
    }

    /// Checks that a signing certificate chains to `root.crt`, is valid for signing and speaks for `province`.
    func checkSigning(_ certificate: Certificate, of province: ProvinceCode, source: String, at time: Date) async throws(TongbanError) {
        let named: ProvinceCode
        do { named = try await trust().verify(certificate, role: .signing, at: time) } catch {
            throw TongbanError(error.code, "\(source): \(error.message)")
        }
        guard named == province else {
            throw TongbanError(.pkiInvalid, "\(source): the signing certificate names province \(named), not \(province)")
        }
    }
}
