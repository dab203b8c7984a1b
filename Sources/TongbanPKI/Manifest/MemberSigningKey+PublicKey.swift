import SwiftASN1
import Crypto
import Foundation
import TongbanCore
import TongbanGM
import X509

extension MemberSigningKey {
    /// The manifest entry of an SM2 key, which has no certificate: its kid is the SHA-256 of its SubjectPublicKeyInfo.
    public init(sm2 key: SM2PublicKey, notBefore: Date, notAfter: Date) {
        self.init(kid: Self.keyID(spki: key.derRepresentation), alg: "sm2-sm3", publicKey: Data(key.derRepresentation).base64EncodedString(),
                  notBefore: notBefore, notAfter: notAfter)
    }

    /// The manifest entry of a public key in PEM (`-----BEGIN PUBLIC KEY-----`, as `pki issue --signing-alg sm2` writes
    /// `signing.pub`): SM2, P-256 or Ed25519, kid the SHA-256 of its SubjectPublicKeyInfo.
    public init(publicKeyPEM pem: String, notBefore: Date, notAfter: Date) throws(TongbanError) {
        if let key = try? SM2PublicKey(pem: pem) {
            self.init(sm2: key, notBefore: notBefore, notAfter: notAfter)
            return
        }
        guard let key = try? Certificate.PublicKey(pemEncoded: pem) else {
            throw TongbanError(.pkiInvalid, "not a public key in PEM (-----BEGIN PUBLIC KEY-----) of SM2, P-256 or Ed25519")
        }
        let alg: String
        if P256.Signing.PublicKey(key) != nil {
            alg = "ecdsa-p256-sha256"
        } else if Curve25519.Signing.PublicKey(key) != nil {
            alg = "ed25519"
        } else {
            throw TongbanError(.pkiInvalid, "a public key that is neither SM2, P-256 nor Ed25519")
        }
        var serializer = DER.Serializer()
        do { try serializer.serialize(key) } catch { throw TongbanError(.pkiInvalid, "cannot encode the public key: \(error)") }
        self.init(kid: Self.keyID(spki: serializer.serializedBytes), alg: alg, publicKey: key.spkiBase64, notBefore: notBefore, notAfter: notAfter)
    }
}
