import Crypto
import Foundation
import TongbanCore
import X509

/// The federation authority's signing credentials: its P-256 key (held offline) and its certificate, issued by
/// the federation root with the authority's usage. `tongbanctl federation init` creates them; `sign` uses them.
public struct FederationAuthority: Sendable {
    public static let keyFile = "authority.key"
    public static let certificateFile = "authority.crt"

    public let certificate: Certificate
    let key: P256.Signing.PrivateKey

    /// A new key, and its certificate from `ca`.
    public static func create(by ca: FederationCA, name: String = "Tongban Federation Authority", validityDays: Int = 825,
                              now: Date = Date()) throws -> FederationAuthority {
        let key = P256.Signing.PrivateKey()
        let certificate = try ca.issueAuthority(publicKey: Certificate.PublicKey(key.publicKey), name: name, validityDays: validityDays, now: now)
        return FederationAuthority(certificate: certificate, key: key)
    }

    /// Loads `authority.key` and `authority.crt` from `directory`, checking that they belong together.
    public init(directory: String) throws(TongbanError) {
        let certificate = try PEMFile.readCertificate(directory + "/" + Self.certificateFile)
        let text = try PEMFile.readText(directory + "/" + Self.keyFile)
        guard let key = try? P256.Signing.PrivateKey(pemRepresentation: text) else {
            throw TongbanError(.pkiInvalid, "\(directory)/\(Self.keyFile): not a P-256 private key in PEM")
        }
        guard Certificate.PublicKey(key.publicKey) == certificate.publicKey else {
            throw TongbanError(.pkiInvalid, "\(directory): \(Self.keyFile) does not belong to \(Self.certificateFile)")
        }
        self.init(certificate: certificate, key: key)
    }

    init(certificate: Certificate, key: P256.Signing.PrivateKey) {
        self.certificate = certificate
        self.key = key
    }

    /// Writes `authority.key` (mode 0600, refused if it exists) and `authority.crt`.
    public func write(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try PEMFile.write(Certificate.PrivateKey(key), to: directory + "/" + Self.keyFile)
        try PEMFile.write(certificate, to: directory + "/" + Self.certificateFile)
    }

    /// The manifest as a compact JWS (`ManifestJWS`).
    public func sign(_ manifest: FederationManifest) throws -> String {
        try ManifestJWS.sign(manifest, key: key, certificate: certificate)
    }
}
