import Crypto
import Foundation
import SwiftASN1
import TongbanCore
import X509

/// The federation's root certificate authority: created once (`tongbanctl pki init`), then used to issue
/// each province's TLS and signing certificates (`tongbanctl pki issue`).
public struct FederationCA: Sendable {
    public static let certificateFile = "root.crt"
    public static let keyFile = "root.key"

    /// Days a root may be valid (`pki init --days`): up to twenty years.
    public static let rootValidityDays = 1...7300
    /// Days a province's certificate may be valid (`pki issue|renew --days`): up to 825, the longest the CA/Browser
    /// Forum ever allowed a TLS certificate; the default, 397, is its limit today.
    public static let provinceValidityDays = 1...825

    public let certificate: Certificate
    let privateKey: Certificate.PrivateKey

    /// A new root with a fresh P-256 key.
    public static func create(name: String, validityDays: Int = 3650, now: Date = Date()) throws -> FederationCA {
        try Self.check(validityDays, in: rootValidityDays, of: "a root certificate")
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let subject = try DistinguishedName {
            OrganizationName("Tongban Federation")
            CommonName(name)
        }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            SubjectKeyIdentifier(hash: key.publicKey)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(Double(validityDays) * 86_400),
            issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: key)
        return FederationCA(certificate: certificate, privateKey: key)
    }

    /// Loads `root.crt` and `root.key` from `directory`, checking that they belong together.
    public init(directory: String) throws(TongbanError) {
        let certificate = try PEMFile.readCertificate(directory + "/" + Self.certificateFile)
        let key = try PEMFile.readPrivateKey(directory + "/" + Self.keyFile)
        guard key.publicKey == certificate.publicKey else {
            throw TongbanError(.pkiInvalid, "\(directory): \(Self.keyFile) does not belong to \(Self.certificateFile)")
        }
        self.init(certificate: certificate, privateKey: key)
    }

    init(certificate: Certificate, privateKey: Certificate.PrivateKey) {
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// Writes `root.crt` and `root.key` (mode 0600); refuses to replace an existing key.
    public func write(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try PEMFile.write(privateKey, to: directory + "/" + Self.keyFile)
        try PEMFile.write(certificate, to: directory + "/" + Self.certificateFile)
    }

    /// Issues a certificate for `province` with the extensions of `usage`, over `publicKey`.
    public func issue(
        usage: CertificateUsage, province: ProvinceCode, publicKey: Certificate.PublicKey,
        dnsNames: [String] = [], ipAddresses: [String] = [], validityDays: Int = 397, now: Date = Date()
    ) throws -> Certificate {
        precondition(usage != .root, "the root is created, not issued")
        try Self.check(validityDays, in: Self.provinceValidityDays, of: "a province certificate")
        var names: [GeneralName] = [.uniformResourceIdentifier(ProvinceURI.make(province))]
        if usage == .tls {
            // The province's own host name first: peers connect by it (`ProvinceHostName`).
            names.append(.dnsName(ProvinceHostName.make(province)))
            for name in dnsNames {
                if let problem = DNSName.problem(with: name) { throw TongbanError(.pkiInvalid, "'\(name)' is not a DNS name: \(problem)") }
                guard !ProvinceHostName.isReserved(name) else {
                    throw TongbanError(.pkiInvalid, "'\(name)' is in the federation's reserved namespace (*\(ProvinceHostName.suffix)); "
                                       + "the certificate carries its province's name there already")
                }
                names.append(.dnsName(name))
            }
            for address in ipAddresses {
                guard let bytes = IPAddress.bytes(of: address) else {
                    throw TongbanError(.pkiInvalid, "'\(address)' is not an IPv4 or IPv6 address")
                }
                names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))))
            }
        }
        let subject = try DistinguishedName {
            OrganizationName("Tongban Federation")
            OrganizationalUnitName(province.officialName)
            CommonName("\(province.officialName) Tongban \(usage == .tls ? "gateway" : "signing")")
        }
        let notAfter = min(now.addingTimeInterval(Double(validityDays) * 86_400), certificate.notValidAfter)
        let authority = try certificate.extensions.subjectKeyIdentifier?.keyIdentifier
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            if usage == .tls {
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
            } else {
                Critical(KeyUsage(digitalSignature: true, nonRepudiation: true))
            }
            SubjectAlternativeNames(names)
            SubjectKeyIdentifier(hash: publicKey)
            AuthorityKeyIdentifier(keyIdentifier: authority)
        }
        return try Certificate(
            version: .v3, serialNumber: .init(), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: notAfter,
            issuer: certificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: privateKey)
    }

    /// Refuses a validity outside `range`: 0 days or fewer made a certificate that had expired when it was written.
    static func check(_ days: Int, in range: ClosedRange<Int>, of what: String) throws(TongbanError) {
        guard range.contains(days) else {
            throw TongbanError(.pkiInvalid, "\(what) is valid for \(range.lowerBound) to \(range.upperBound) days, not \(days)")
        }
    }
}
