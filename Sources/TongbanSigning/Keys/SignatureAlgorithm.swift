/// The RFC 9421 algorithms Tongban signs and verifies with (§3.3.4, §3.3.6).
public enum SignatureAlgorithm: String, Sendable, CaseIterable, Codable {
    /// ECDSA P-256 with SHA-256; the signature is raw r‖s (64 bytes), not DER.
    case ecdsaP256SHA256 = "ecdsa-p256-sha256"
    case ed25519
    /// SM2 with SM3 and the GM/T 0009 distinguishing ID `1234567812345678` (Tongban's own: not in the IANA
    /// registry); the signature is raw r‖s (64 bytes), as for ECDSA.
    case sm2SM3 = "sm2-sm3"
}
