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
    /// The configured signing keys (`signing`, `signing.next`, `signing.additional`) and the choice among them per peer.
    let keys: GatewayPeerKeys
    let peerClient: PeerClient
    /// The names of the certificate the peer listener presents: a signed `@authority` must be one of them.
    let serviceNames: ServiceNames
    /// The working-day calendar the applications' due dates are counted with: `calendar.file`, or the bundled one.
    let calendar: WorkdayCalendar

    /// The signer for no particular peer (the identity document), as the manifest in force and the preference decide.
    var signer: MessageSigner { keys.signer(for: nil) }
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
            for files in c.allSigning {
                // A certified key is known by its certificate's fingerprint, a key without one (SM2) by its SPKI's hash.
                let signer = try MessageSigner.province(key: files.key, certificate: files.certificate)
                let certificate = try files.certificate.map { path throws(TongbanError) in try PEMFile.readCertificate(path) }
                if let certificate { signingCertificates.append(certificate) }
                let identity = IdentityDocument(
                    province: c.province.rawValue, name: c.provinceName, signingCertificate: try certificate?.serializeAsPEM().pemString,
                    signingKeyId: signer.keyID, signingAlgorithm: signer.key.algorithm.rawValue, version: TongbanVersion.current)
                identities[signer.keyID] = Array(try JSONCoding.encoder(pretty: false).encode(identity))
                signers.append(signer)
            }
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
        ] + signingCertificates.prefix(c.signing.certificate == nil ? 0 : 1).map {
            StatusDocument.CertificateInfo(usage: "signing", subject: $0.commonName, notAfter: $0.notValidAfter, keyId: $0.sha256Fingerprint)
        }
        identityJSON = identities
        calendar = try c.calendarFile.map { path throws(TongbanError) in try WorkdayCalendar(contentsOf: URL(fileURLWithPath: path)) } ?? .bundled
        keys = GatewayPeerKeys(federation: federation, own: c.province, signers: signers, preference: c.signingAlgorithms)
        circuits?.configure(threshold: c.peerResilience.circuitFailureThreshold,
                            openDuration: .milliseconds(Int64(c.peerResilience.circuitOpenSeconds * 1000)))
        peerClient = PeerClient(credentials: credentials, trust: trust, keys: keys, resilience: c.peerResilience, circuits: circuits,
                                signatureWindowSeconds: federation.current.manifest.protocol.signatureWindowSeconds, logger: logger)
        configuration = c
    }
}
