/// The protected header of a signed manifest: ES256, Tongban's media type, and the authority's certificate chain
/// (`x5c`, RFC 7515 §4.1.6: standard base64 DER, the authority's certificate first).
struct ManifestHeader: Codable, Sendable {
    static let type = "tongban-federation-manifest+jws"

    var alg: String
    var typ: String
    /// The authority certificate's SHA-256 fingerprint.
    var kid: String
    var x5c: [String]
    /// Refused when present: no extension is understood (RFC 7515 §4.1.11).
    var crit: [String]?
}
