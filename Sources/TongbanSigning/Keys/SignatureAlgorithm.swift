/// The RFC 9421 algorithms Tongban signs and verifies with (§3.3.4, §3.3.6).
public enum SignatureAlgorithm: String, Sendable, CaseIterable, Codable {
    /// ECDSA P-256 with SHA-256; the signature is raw r‖s (64 bytes), not DER.
    case ecdsaP256SHA256 = "ecdsa-p256-sha256"
    case ed25519
}
