import Crypto
import Foundation
import SwiftASN1
import TongbanCore
import X509

extension FederationCA {
    /// A new certificate with the same subject, names and usages as `old` (which this CA must have issued),
    /// valid from now for `validityDays`, over `publicKey` — the old one to keep the key, or a new one to rotate it.
    /// A CA certificate is refused: renewed as a province's, the root would lose its ten years and keep its name.
    static func isURI(_ name: GeneralName) -> Bool {
        if case .uniformResourceIdentifier = name { return true }
        return false
    }

    public func renew(_ old: Certificate, publicKey: Certificate.PublicKey, validityDays: Int = 397,
                      now: Date = Date()) throws(TongbanError) -> Certificate {
        guard !old.isCertificateAuthority else {
            throw TongbanError(.pkiInvalid, "'\(old.commonName)' is a CA certificate (basicConstraints CA:TRUE): pki renew renews a "
                               + "province's TLS or signing certificate; a root is replaced by a new one "
                               + "(pki init, then tls.federationRoots — docs/operations.md)")
        }
        try Self.check(validityDays, in: Self.provinceValidityDays, of: "a province certificate")
        guard old.issuer == certificate.subject, certificate.publicKey.isValidSignature(old.signature, for: old) else {
            throw TongbanError(.pkiInvalid, "the certificate (\(old.subject)) was not issued by this federation root (\(certificate.subject))")
        }
        do {
            var extensions = Certificate.Extensions()
            for item in old.extensions {
                switch item.oid {
                case .X509ExtensionID.subjectKeyIdentifier, .X509ExtensionID.authorityKeyIdentifier: continue
                case .X509ExtensionID.subjectAlternativeName:
                    // A TLS certificate from before province host names gets its province's name on renewal.
                    var names = Array(try SubjectAlternativeNames(item))
                    if let province = old.federationProvince, (try? old.extensions.extendedKeyUsage)?.contains(.serverAuth) == true,
                       !names.contains(.dnsName(ProvinceHostName.make(province))) {
                        names.insert(.dnsName(ProvinceHostName.make(province)), at: names.firstIndex { !Self.isURI($0) } ?? names.endIndex)
                    }
                    try extensions.append(try Certificate.Extension(SubjectAlternativeNames(names), critical: item.critical))
                default: try extensions.append(item)
                }
            }
            try extensions.append(try Certificate.Extension(SubjectKeyIdentifier(hash: publicKey), critical: false))
            let authority = try certificate.extensions.subjectKeyIdentifier?.keyIdentifier
            try extensions.append(try Certificate.Extension(AuthorityKeyIdentifier(keyIdentifier: authority), critical: false))
            return try Certificate(
                version: .v3, serialNumber: .init(), publicKey: publicKey,
                notValidBefore: now.addingTimeInterval(-300),
                notValidAfter: min(now.addingTimeInterval(Double(validityDays) * 86_400), certificate.notValidAfter),
                issuer: certificate.subject, subject: old.subject, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: extensions, issuerPrivateKey: privateKey)
        } catch {
            throw TongbanError(.pkiInvalid, "cannot renew \(old.subject): \(error)")
        }
    }
}
