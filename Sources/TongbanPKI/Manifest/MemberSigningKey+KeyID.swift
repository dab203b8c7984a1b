import Crypto
import Foundation
import TongbanCore

extension MemberSigningKey {
    /// The key id of a key added to the manifest without a certificate (every SM2 key): lowercase hex SHA-256 of
    /// its DER SubjectPublicKeyInfo. (A key added from a certificate keeps the certificate's fingerprint.)
    public static func keyID(spki: some Sequence<UInt8>) -> String {
        SHA256.hash(data: Array(spki)).hexString
    }
}
