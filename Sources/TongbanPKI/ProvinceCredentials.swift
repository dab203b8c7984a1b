import Crypto
import Foundation
import TongbanCore
import TongbanGM
import X509

/// What `tongbanctl pki issue` writes for one province: a TLS key pair with its certificate, a signing key (with its
/// certificate, or an SM2 key with its public key), plus a copy of the federation root.
public struct ProvinceCredentials: Sendable {
    public static let tlsCertificateFile = "tls.crt"
    public static let tlsKeyFile = "tls.key"
    public static let signingCertificateFile = "signing.crt"
    public static let signingKeyFile = "signing.key"
    /// An SM2 signing key's public key (PEM), for the authority's `federation member add` / `key add`.
    public static let signingPublicKeyFile = "signing.pub"
    public static let rootFile = "root.crt"

    public let province: ProvinceCode
    public let tlsCertificate: Certificate
    public let tlsKey: Certificate.PrivateKey
    public let signing: ProvinceSigningKey
    public let root: Certificate

    /// The signing certificate; nil for an SM2 key.
    public var signingCertificate: Certificate? { signing.certificate }

    public static func issue(
        by ca: FederationCA, province: ProvinceCode, dnsNames: [String], ipAddresses: [String],
        signingKeyType: SigningKeyType = .p256, validityDays: Int = 397, now: Date = Date()
    ) throws -> ProvinceCredentials {
        let tlsKey = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let tls = try ca.issue(usage: .tls, province: province, publicKey: tlsKey.publicKey,
                               dnsNames: dnsNames, ipAddresses: ipAddresses, validityDays: validityDays, now: now)
        let signing: ProvinceSigningKey
        switch signingKeyType {
        case .p256, .ed25519:
            let key = signingKeyType == .p256 ? Certificate.PrivateKey(P256.Signing.PrivateKey()) : Certificate.PrivateKey(Curve25519.Signing.PrivateKey())
            signing = .certified(certificate: try ca.issue(usage: .signing, province: province, publicKey: key.publicKey,
                                                           validityDays: validityDays, now: now), key: key)
        case .sm2:
            signing = .sm2(try SM2PrivateKey())
        }
        return ProvinceCredentials(province: province, tlsCertificate: tls, tlsKey: tlsKey, signing: signing, root: ca.certificate)
    }

    /// Writes the five files into `directory` (keys mode 0600, refused if they exist): `signing.crt` is `signing.pub`
    /// for an SM2 key.
    public func write(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try PEMFile.write(tlsKey, to: directory + "/" + Self.tlsKeyFile)
        switch signing {
        case .certified(let certificate, let key):
            try PEMFile.write(key, to: directory + "/" + Self.signingKeyFile)
            try PEMFile.write(certificate, to: directory + "/" + Self.signingCertificateFile)
        case .sm2(let key):
            try PEMFile.write(privateKeyText: key.pemRepresentation, to: directory + "/" + Self.signingKeyFile)
            try PEMFile.write(text: key.publicKey.pemRepresentation, to: directory + "/" + Self.signingPublicKeyFile, mode: 0o644)
        }
        try PEMFile.write(tlsCertificate, to: directory + "/" + Self.tlsCertificateFile)
        try PEMFile.write(root, to: directory + "/" + Self.rootFile)
    }
}
