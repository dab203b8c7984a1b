/// What a federation certificate is for. Each usage has its own extensions, checked on every verification.
public enum CertificateUsage: String, Sendable, CaseIterable {
    /// The federation root CA (`pki init`).
    case root
    /// A gateway's TLS certificate: serverAuth and clientAuth, one certificate for both directions.
    case tls
    /// A gateway's message-signing certificate: digitalSignature and nonRepudiation.
    case signing
    /// The federation authority's certificate: signs the federation manifest and nothing else
    /// (extended key usage `ExtendedKeyUsage.Usage.federationAuthority`, no province).
    case authority
}
