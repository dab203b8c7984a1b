import SwiftASN1
import Crypto
import Foundation
import TongbanCore
import X509

extension Certificate {
    /// The provinces named by `urn:tongban:province:CODE` SAN URIs.
    public var federationProvinces: [ProvinceCode] {
        guard let names = try? extensions.subjectAlternativeNames else { return [] }
        return names.compactMap { name in
            if case .uniformResourceIdentifier(let uri) = name { return ProvinceURI.parse(uri) }
            return nil
        }
    }

    /// The one province this certificate speaks for, or nil when it names none or several.
    public var federationProvince: ProvinceCode? {
        let provinces = federationProvinces
        return provinces.count == 1 ? provinces[0] : nil
    }

    /// Whether this is a CA certificate (basicConstraints CA:TRUE), as the federation root is.
    public var isCertificateAuthority: Bool {
        guard let constraints = try? extensions.basicConstraints, case .isCertificateAuthority = constraints else { return false }
        return true
    }

    /// Lowercase hex SHA-256 of the certificate's DER: the `keyid` of a signing certificate.
    public var sha256Fingerprint: String {
        var serializer = DER.Serializer()
        try? serializer.serialize(self)
        return SHA256.hash(data: serializer.serializedBytes).hexString
    }

    public var derBytes: [UInt8] {
        var serializer = DER.Serializer()
        try? serializer.serialize(self)
        return serializer.serializedBytes
    }

    /// The common name of the subject, for display.
    public var commonName: String {
        for rdn in subject { for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
            return String(describing: attribute.value)
        } }
        return subject.description
    }
}
