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

    /// The manifest entry of a province from its TLS certificate and a signing key's manifest entry (an SM2 key's,
    /// which has no certificate: the authority vouches for it by signing the manifest).
    public init(tlsCertificate: Certificate, signingKey: MemberSigningKey, urls: [String], name: String? = nil) throws(TongbanError) {
        guard let province = tlsCertificate.federationProvince else {
            throw TongbanError(.pkiInvalid, "TLS certificate '\(tlsCertificate.commonName)' names no single federation province")
        }
        self.init(province: province.rawValue, name: name ?? province.officialName, status: .active, urls: urls,
                  tlsPins: [TLSPin.of(tlsCertificate)], signingKeys: [signingKey])
    }

    /// The manifest entry of a province from the credentials `pki issue` made for it.
    public init(credentials: ProvinceCredentials, urls: [String], name: String? = nil) throws(TongbanError) {
        try self.init(tlsCertificate: credentials.tlsCertificate, signingKey: try credentials.signing.manifestKey(), urls: urls, name: name)
    }
}
