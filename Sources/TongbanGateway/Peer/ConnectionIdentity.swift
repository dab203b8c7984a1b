import TongbanCore

/// What the manifest's admission needs of a connection's TLS client certificate.
struct ConnectionIdentity: Sendable {
    let province: ProvinceCode
    /// `sha256/…` of its SubjectPublicKeyInfo.
    let pin: String
    /// Its serial, lowercase hex.
    let serial: String
}
