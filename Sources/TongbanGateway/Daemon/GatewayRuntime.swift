import Foundation
import Logging
import SwiftASN1
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanPKI
import TongbanSigning
import X509

/// What a reload replaces as one piece: the configuration and everything built from the files it names —
/// TLS credentials, federation roots, the signing key, the matters registry, the peer client. Requests read
/// the runtime once per use; a reload swaps it whole, so no request sees half of an old and half of a new one.
final class GatewayRuntime: Sendable {
    let configuration: GatewayConfiguration
    let credentials: ClientCredentials
    /// This gateway's identity document as `GET /v1/identity` answers it, encoded once (it was encoded on every request).
    let identityJSON: [UInt8]
    let certificates: [StatusDocument.CertificateInfo]
    let trust: FederationTrust
    let signer: MessageSigner
    let verifier: MessageVerifier
    let peerClient: PeerClient
    let signingKeys: SigningKeyDirectory
    /// The names of the certificate the peer listener presents: a signed `@authority` must be one of them.
    let serviceNames: ServiceNames
    /// The registry of cross-province matters (事项).
    let matters: [Matter]

    /// Builds a runtime from `c`, which must have passed `ConfigValidator`. `circuits` carries the peers'
    /// circuit breakers over from the runtime this one replaces.
    init(configuration c: GatewayConfiguration, circuits: PeerCircuits?, logger: Logger) throws(TongbanError) {
        credentials = try ClientCredentials(certificate: c.tls.certificate, key: c.tls.key, federationRoots: c.tls.federationRoots)
        var roots: [Certificate] = []
        let signingCertificate: Certificate
        let tlsCertificate: Certificate
        do {
            for path in c.tls.federationRoots { roots += try PEMFile.readCertificates(path) }
            signingCertificate = try PEMFile.readCertificate(c.signing.certificate)
            tlsCertificate = try PEMFile.readCertificate(c.tls.certificate)
            let identity = IdentityDocument(
                province: c.province.rawValue, name: c.provinceName,
                signingCertificate: try signingCertificate.serializeAsPEM().pemString, version: TongbanVersion.current)
            identityJSON = Array(try JSONCoding.encoder(pretty: false).encode(identity))
            signer = MessageSigner(key: try MessageSigningKey(pem: try PEMFile.readText(c.signing.key)),
                                   keyID: signingCertificate.sha256Fingerprint, label: TongbanProfile.label)
        } catch let error as TongbanError {
            throw error
        } catch {
            throw TongbanError(.pkiInvalid, "cannot load the certificates and keys: \(error)")
        }
        trust = FederationTrust(roots: roots)
        self.serviceNames = ServiceNames(tlsCertificate)
        certificates = [
            StatusDocument.CertificateInfo(usage: "tls", subject: tlsCertificate.commonName, notAfter: tlsCertificate.notValidAfter,
                                           keyId: tlsCertificate.sha256Fingerprint),
            StatusDocument.CertificateInfo(usage: "signing", subject: signingCertificate.commonName,
                                           notAfter: signingCertificate.notValidAfter, keyId: signingCertificate.sha256Fingerprint),
        ]
        let loaded = MattersLoader.load(path: c.mattersFile)
        guard let matters = loaded.matters else {
            throw TongbanError(.configInvalid, loaded.problems.map { $0.located(in: c.mattersFile ?? "matters") }.joined(separator: "; "))
        }
        self.matters = matters
        circuits?.configure(threshold: c.peerResilience.circuitFailureThreshold,
                            openDuration: .milliseconds(Int64(c.peerResilience.circuitOpenSeconds * 1000)))
        peerClient = PeerClient(credentials: credentials, trust: trust, signer: signer, resilience: c.peerResilience, circuits: circuits,
                                signatureWindowSeconds: c.signatureWindowSeconds, logger: logger)
        verifier = MessageVerifier(label: TongbanProfile.label, window: .seconds(c.signatureWindowSeconds),
                                   skew: .seconds(c.signatureClockSkewSeconds))
        signingKeys = SigningKeyDirectory(peerClient: peerClient, peers: c.peers)
        configuration = c
    }
}
