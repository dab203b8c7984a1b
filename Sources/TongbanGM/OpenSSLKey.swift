internal import CTongbanGM
import TongbanCore

/// An OpenSSL `EVP_PKEY` holding an SM2 key, freed with its last reference.
///
/// `@unchecked Sendable` is safe: the key is never changed after it is made (it is only read, to sign, verify or
/// encode it), and OpenSSL 3 reference-counts an `EVP_PKEY` atomically; each operation makes its own
/// `EVP_PKEY_CTX`, which takes a reference of its own.
final class OpenSSLKey: @unchecked Sendable {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        tb_gm_key_free(pointer)
    }

    /// The key's SubjectPublicKeyInfo (DER).
    func subjectPublicKeyInfo() throws -> [UInt8] {
        var length = 0
        guard let der = tb_gm_public_spki(pointer, &length) else {
            throw LibCrypto.error(.pkiInvalid, "cannot encode the SM2 public key")
        }
        return LibCrypto.take(der, count: length)
    }
}
