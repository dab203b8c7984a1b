import Crypto
import Foundation
import TongbanCore
import X509

/// What `tongbanctl pki issue` writes for one province: a TLS key pair and a signing key pair, each with its
/// certificate, plus a copy of the federation root.
public struct ProvinceCredentials: Sendable {
    public static let tlsCertificateFile = "tls.crt"
    public static let tlsKeyFile = "tls.key"
    public static let signingCertificateFile = "signing.crt"
    public static let signingKeyFile = "signing.key"
    public static let rootFile = "root.crt"

    public let province: ProvinceCode
    public let tlsCertificate: Certificate
    public let tlsKey: Certificate.PrivateKey
    public let signingCertificate: Certificate
    public let signingKey: Certificate.PrivateKey
    public let root: Certificate

    public static func issue(
        by ca: FederationCA, province: ProvinceCode, dnsNames: [String], ipAddresses: [String],
        signingKeyType: SigningKeyType = .p256, validityDays: Int = 397, now: Date = Date()
    ) throws -> ProvinceCredentials {
        let tlsKey = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let signingKey = switch signingKeyType {
        case .p256: Certificate.PrivateKey(P256.Signing.PrivateKey())
        case .ed25519: Certificate.PrivateKey(Curve25519.Signing.PrivateKey())
        }
        let tls = try ca.issue(usage: .tls, province: province, publicKey: tlsKey.publicKey,
                               dnsNames: dnsNames, ipAddresses: ipAddresses, validityDays: validityDays, now: now)
        let signing = try ca.issue(usage: .signing, province: province, publicKey: signingKey.publicKey,
                                   validityDays: validityDays, now: now)
        return ProvinceCredentials(province: province, tlsCertificate: tls, tlsKey: tlsKey,
                                   signingCertificate: signing, signingKey: signingKey, root: ca.certificate)
    }

    /// Writes the five files into `directory` (keys mode 0600, refused if they exist).
    public func write(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try PEMFile.write(tlsKey, to: directory + "/" + Self.tlsKeyFile)
        try PEMFile.write(signingKey, to: directory + "/" + Self.signingKeyFile)
        try PEMFile.write(tlsCertificate, to: directory + "/" + Self.tlsCertificateFile)
        try PEMFile.write(signingCertificate, to: directory + "/" + Self.signingCertificateFile)
        try PEMFile.write(root, to: directory + "/" + Self.rootFile)
    }
}
