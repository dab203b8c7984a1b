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
        /// The federation authority, signing the manifest.
        case authority = "federation authority"
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
        precondition(role != .authority, "the authority speaks for no province: use verifyAuthority")
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

    /// Checks that `leaf` is the federation authority's certificate: it chains to a federation root, is valid at
    /// `time`, carries the authority's extended key usage and names no province.
    public func verifyAuthority(_ leaf: Certificate, intermediates: [Certificate] = [], at time: Date = Date()) async throws(TongbanError) {
        var verifier = Verifier(rootCertificates: CertificateStore(roots)) {
            RFC5280Policy(fixedExpiryValidationTime: time)
            FederationProfilePolicy(role: .authority)
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(intermediates))
        if case .couldNotValidate(let failures) = result {
            let reasons = failures.map { String(describing: $0.policyFailureReason) }
            let why = reasons.isEmpty ? "it does not chain to a federation root" : reasons.joined(separator: "; ")
            throw TongbanError(.manifestInvalid, "certificate '\(leaf.commonName)' is not the federation authority's: \(why)")
        }
    }
}
