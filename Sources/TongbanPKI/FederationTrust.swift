import Foundation
import SwiftASN1
import TongbanCore
@_spi(FixedExpiryValidationTime) import X509

/// Decides whether a certificate speaks for a province of the federation: it chains to one of the federation
/// roots, is valid now, carries exactly one `urn:tongban:province:CODE` URI and the extensions of its usage.
public struct FederationTrust: Sendable {
    /// Which side of a TLS connection, or signing, the certificate is presented for.
    public enum Role: String, Sendable {
        case tlsClient = "TLS client"
        case tlsServer = "TLS server"
        case signing
    }

    public let roots: [Certificate]

    public init(roots: [Certificate]) {
        self.roots = roots
    }

    /// The province the certificate speaks for, or a `tongban.pki.invalid` / `tongban.identity.missing` error
    /// saying why it does not.
    public func verify(
        _ leaf: Certificate, intermediates: [Certificate] = [], role: Role, at time: Date = Date()
    ) async throws(TongbanError) -> ProvinceCode {
        var verifier = Verifier(rootCertificates: CertificateStore(roots)) {
            RFC5280Policy(fixedExpiryValidationTime: time)
            FederationProfilePolicy(role: role)
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(intermediates))
        switch result {
        case .validCertificate:
            guard let province = leaf.federationProvince else {
                throw TongbanError(.identityMissing, "certificate '\(leaf.commonName)' names no single federation province")
            }
            return province
        case .couldNotValidate(let failures):
            if leaf.federationProvince == nil {
                throw TongbanError(.identityMissing, "certificate '\(leaf.commonName)' carries no \(ProvinceURI.prefix)CODE URI")
            }
            let reasons = failures.map { String(describing: $0.policyFailureReason) }
            let why = reasons.isEmpty ? "it does not chain to a federation root" : reasons.joined(separator: "; ")
            throw TongbanError(.pkiInvalid, "certificate '\(leaf.commonName)' is not valid as a \(role.rawValue) certificate: \(why)")
        }
    }
}
