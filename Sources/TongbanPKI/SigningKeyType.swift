/// The key type of a province's signing certificate (`tongbanctl pki issue --signing-alg`).
public enum SigningKeyType: String, Sendable, CaseIterable {
    /// ECDSA P-256: signatures `ecdsa-p256-sha256`.
    case p256
    /// Ed25519: signatures `ed25519`.
    case ed25519
}
