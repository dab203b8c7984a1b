import Crypto
import Foundation
import SwiftASN1
import X509

extension FederationCA {
    /// Issues the federation authority's certificate over `publicKey`: digitalSignature and the authority's extended
    /// key usage, no province, valid `validityDays` (within the root's own validity).
    public func issueAuthority(publicKey: Certificate.PublicKey, name: String, validityDays: Int = 825, now: Date = Date()) throws -> Certificate {
        try Self.check(validityDays, in: Self.provinceValidityDays, of: "the authority's certificate")
        let subject = try DistinguishedName {
            OrganizationName("Tongban Federation")
            CommonName(name)
        }
        let authority = try certificate.extensions.subjectKeyIdentifier?.keyIdentifier
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true, nonRepudiation: true))
            try ExtendedKeyUsage([.federationAuthority])
            SubjectKeyIdentifier(hash: publicKey)
            AuthorityKeyIdentifier(keyIdentifier: authority)
        }
        return try Certificate(
            version: .v3, serialNumber: .init(), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-300),
            notValidAfter: min(now.addingTimeInterval(Double(validityDays) * 86_400), certificate.notValidAfter),
            issuer: certificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: privateKey)
    }
}
