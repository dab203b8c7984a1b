import Crypto
import SwiftASN1
import TongbanCore
import X509

/// The pin of a TLS key as the manifest lists it: `sha256/` and the lowercase hex SHA-256 of the certificate's
/// DER SubjectPublicKeyInfo (a renewal that keeps the key keeps the pin).
public enum TLSPin {
    public static func of(_ certificate: Certificate) -> String { of(certificate.publicKey) }

    public static func of(_ key: Certificate.PublicKey) -> String {
        var serializer = DER.Serializer()
        try? serializer.serialize(key)
        return FederationMember.pinPrefix + SHA256.hash(data: serializer.serializedBytes).hexString
    }
}
