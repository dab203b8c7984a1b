import NIOCore
import NIOSSL
import TongbanCore

/// The TLS material a gateway presents to peers and trusts from them, loaded from the configured files.
public struct ClientCredentials: Sendable {
    public let certificateChain: [NIOSSLCertificate]
    public let privateKey: NIOSSLPrivateKey
    public let federationRoots: [NIOSSLCertificate]

    public init(certificateChain: [NIOSSLCertificate], privateKey: NIOSSLPrivateKey, federationRoots: [NIOSSLCertificate]) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
        self.federationRoots = federationRoots
    }

    /// Loads the PEM files: the certificate chain, its private key and the federation roots.
    public init(certificate: String, key: String, federationRoots: [String]) throws(TongbanError) {
        do {
            certificateChain = try NIOSSLCertificate.fromPEMFile(certificate)
            privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
            self.federationRoots = try federationRoots.flatMap { try NIOSSLCertificate.fromPEMFile($0) }
        } catch {
            throw TongbanError(.pkiInvalid, "cannot load TLS credentials: \(error)")
        }
    }

    /// TLS 1.3 only, presenting our certificate, trusting only the federation roots, checking the peer's
    /// host name or IP address against its certificate.
    public var clientTLSConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv13
        configuration.certificateChain = certificateChain.map { .certificate($0) }
        configuration.privateKey = .privateKey(privateKey)
        configuration.trustRoots = .certificates(federationRoots)
        configuration.certificateVerification = .fullVerification
        return configuration
    }

    /// TLS 1.3 only, requiring a client certificate (the chain and profile are checked by the gateway's
    /// verification callback against the federation roots).
    public var serverTLSConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfigurationWithMTLS(
            certificateChain: certificateChain.map { .certificate($0) }, privateKey: .privateKey(privateKey),
            trustRoots: .certificates(federationRoots))
        configuration.minimumTLSVersion = .tlsv13
        configuration.certificateVerification = .noHostnameVerification
        configuration.shutdownTimeout = .milliseconds(500)
        return configuration
    }
}
