/// The key type of a province's signing key (`tongbanctl pki issue --signing-alg`).
public enum SigningKeyType: String, Sendable, CaseIterable {
    /// ECDSA P-256: signatures `ecdsa-p256-sha256`, with a signing certificate.
    case p256
    /// Ed25519: signatures `ed25519`, with a signing certificate.
    case ed25519
    /// SM2 (GB/T 32918) with SM3: signatures `sm2-sm3`. No certificate: swift-certificates cannot issue or read one
    /// for an SM2 key, and the manifest, signed by the authority, binds the public key to the province.
    case sm2
}
