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
/// TLS credentials, federation roots, the signing keys, the peer client. Requests read the runtime once per use;
/// a reload swaps it whole, so no request sees half of an old and half of a new one. (What the federation
/// decides — members, keys, matters, protocol settings — is the manifest's, in `FederationState`.)
final class GatewayRuntime: Sendable {
    let configuration: GatewayConfiguration
    let credentials: ClientCredentials
    /// This gateway's identity document as `GET /v1/identity` answers it, per signing key id, encoded once.
    let identityJSON: [String: [UInt8]]
    let certificates: [StatusDocument.CertificateInfo]
    let trust: FederationTrust
    /// The configured signing keys (`signing`, then `signing.next`) and the manifest's choice among them.
    let keys: GatewayPeerKeys
    let peerClient: PeerClient
    /// The names of the certificate the peer listener presents: a signed `@authority` must be one of them.
    let serviceNames: ServiceNames

    /// The signer of the next answer or request, as the manifest in force decides.
    var signer: MessageSigner { keys.signer() }
    var signerKeyIDs: [String] { keys.signers.map(\.keyID) }

    /// Builds a runtime from `c`, which must have passed `ConfigValidator`. `circuits` carries the peers'
    /// circuit breakers over from the runtime this one replaces.
    init(configuration c: GatewayConfiguration, federation: FederationState, circuits: PeerCircuits?, logger: Logger) throws(TongbanError) {
        credentials = try ClientCredentials(certificate: c.tls.certificate, key: c.tls.key, federationRoots: c.tls.federationRoots)
        var roots: [Certificate] = []
        var signingCertificates: [Certificate] = []
        let tlsCertificate: Certificate
        var signers: [MessageSigner] = []
        var identities: [String: [UInt8]] = [:]
        do {
            for path in c.tls.federationRoots { roots += try PEMFile.readCertificates(path) }
            tlsCertificate = try PEMFile.readCertificate(c.tls.certificate)
            for files in [c.signing] + (c.nextSigning.map { [$0] } ?? []) {
                let certificate = try PEMFile.readCertificate(files.certificate)
                signingCertificates.append(certificate)
                let identity = IdentityDocument(
                    province: c.province.rawValue, name: c.provinceName,
                    signingCertificate: try certificate.serializeAsPEM().pemString, version: TongbanVersion.current)
                identities[certificate.sha256Fingerprint] = Array(try JSONCoding.encoder(pretty: false).encode(identity))
                signers.append(MessageSigner(key: try MessageSigningKey(pem: try PEMFile.readText(files.key)),
                                             keyID: certificate.sha256Fingerprint, label: TongbanProfile.label))
            }
        } catch let error as TongbanError {
            throw error
        } catch {
            throw TongbanError(.pkiInvalid, "cannot load the certificates and keys: \(error)")
        }
        let signingCertificate = signingCertificates[0]  // `signing`, always read first
        trust = FederationTrust(roots: roots)
        self.serviceNames = ServiceNames(tlsCertificate)
        certificates = [
            StatusDocument.CertificateInfo(usage: "tls", subject: tlsCertificate.commonName, notAfter: tlsCertificate.notValidAfter,
                                           keyId: tlsCertificate.sha256Fingerprint),
            StatusDocument.CertificateInfo(usage: "signing", subject: signingCertificate.commonName,
                                           notAfter: signingCertificate.notValidAfter, keyId: signingCertificate.sha256Fingerprint),
        ]
        identityJSON = identities
        keys = GatewayPeerKeys(federation: federation, own: c.province, signers: signers)
        circuits?.configure(threshold: c.peerResilience.circuitFailureThreshold,
                            openDuration: .milliseconds(Int64(c.peerResilience.circuitOpenSeconds * 1000)))
        peerClient = PeerClient(credentials: credentials, trust: trust, keys: keys, resilience: c.peerResilience, circuits: circuits,
                                signatureWindowSeconds: federation.current.manifest.protocol.signatureWindowSeconds, logger: logger)
        configuration = c
    }
}
