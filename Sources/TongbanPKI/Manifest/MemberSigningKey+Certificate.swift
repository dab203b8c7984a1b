import Crypto
import Foundation
import TongbanCore
import X509

extension MemberSigningKey {
    /// The manifest entry of a province's signing certificate: its fingerprint as key id (the `keyid` the province
    /// signs with), its key, and a window inside the certificate's validity (the whole of it by default).
    public init(certificate: Certificate, notBefore: Date? = nil, notAfter: Date? = nil) throws(TongbanError) {
        let alg: String
        if P256.Signing.PublicKey(certificate.publicKey) != nil {
            alg = "ecdsa-p256-sha256"
        } else if Curve25519.Signing.PublicKey(certificate.publicKey) != nil {
            alg = "ed25519"
        } else {
            throw TongbanError(.pkiInvalid, "certificate '\(certificate.commonName)' has a key that is neither P-256 nor Ed25519")
        }
        let from = max(notBefore ?? certificate.notValidBefore, certificate.notValidBefore)
        let until = min(notAfter ?? certificate.notValidAfter, certificate.notValidAfter)
        self.init(kid: certificate.sha256Fingerprint, alg: alg, publicKey: certificate.publicKey.spkiBase64, notBefore: from, notAfter: until)
    }
}
