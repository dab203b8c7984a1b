import TongbanPKI
import X509

extension ProvinceCredentials {
    /// The signing certificate of a province issued with a P-256 or Ed25519 key (the tests' default); a test that
    /// asks it of an SM2 province is wrong, and stops.
    public var certifiedSigningCertificate: Certificate {
        guard case .certified(let certificate, _) = signing else { preconditionFailure("province \(province) signs with SM2: no certificate") }
        return certificate
    }

    /// The signing key of a province issued with a P-256 or Ed25519 key.
    public var certifiedSigningKey: Certificate.PrivateKey {
        guard case .certified(_, let key) = signing else { preconditionFailure("province \(province) signs with SM2") }
        return key
    }
}
