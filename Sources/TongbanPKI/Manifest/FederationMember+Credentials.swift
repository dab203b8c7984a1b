import Foundation
import TongbanCore
import X509

extension FederationMember {
    /// The manifest entry of a province from its certificates: the province and name from the TLS certificate,
    /// its key's pin, and the signing certificate's key. Both must name the same province.
    public init(tlsCertificate: Certificate, signingCertificate: Certificate, urls: [String], name: String? = nil) throws(TongbanError) {
        guard let province = tlsCertificate.federationProvince else {
            throw TongbanError(.pkiInvalid, "TLS certificate '\(tlsCertificate.commonName)' names no single federation province")
        }
        guard signingCertificate.federationProvince == province else {
            throw TongbanError(.pkiInvalid, "the signing certificate names province \(signingCertificate.federationProvince?.rawValue ?? "none"), "
                               + "the TLS certificate \(province)")
        }
        self.init(province: province.rawValue, name: name ?? province.officialName, status: .active, urls: urls,
                  tlsPins: [TLSPin.of(tlsCertificate)], signingKeys: [try MemberSigningKey(certificate: signingCertificate)])
    }
}
