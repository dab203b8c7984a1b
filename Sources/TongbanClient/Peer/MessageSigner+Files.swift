import TongbanCore
import TongbanPKI
import TongbanSigning

extension MessageSigner {
    /// The `tongban` signer of a province's signing key file, known by its certificate's fingerprint, or — for a key
    /// without a certificate (SM2) — by the SHA-256 of its SubjectPublicKeyInfo, as the manifest lists it.
    public static func province(key keyPath: String, certificate certificatePath: String?) throws(TongbanError) -> MessageSigner {
        let key = try MessageSigningKey(pem: try PEMFile.readText(keyPath))
        let keyID = try certificatePath.map { path throws(TongbanError) in try PEMFile.readCertificate(path).sha256Fingerprint }
            ?? MemberSigningKey.keyID(spki: key.verificationKey.subjectPublicKeyInfo)
        return MessageSigner(key: key, keyID: keyID, label: TongbanProfile.label)
    }
}
