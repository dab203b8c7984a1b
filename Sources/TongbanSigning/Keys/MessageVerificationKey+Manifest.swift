import Crypto
import Foundation
import SwiftASN1
import TongbanCore
import TongbanGM
import X509

extension MessageVerificationKey {
    /// The key of a manifest entry, when its SubjectPublicKeyInfo reads and is of the algorithm the entry names;
    /// an SM2 key verifies with the federation's distinguishing ID `sm2ID`.
    public init?(_ entry: MemberSigningKey, sm2ID: [UInt8] = SM2.defaultID) {
        guard let der = Data(base64Encoded: entry.publicKey) else { return nil }
        if entry.alg == SignatureAlgorithm.sm2SM3.rawValue {
            guard let key = try? SM2PublicKey(spki: der) else { return nil }
            self = .sm2(key, distinguishingID: sm2ID)
            return
        }
        guard let spki = try? Certificate.PublicKey(derEncoded: Array(der)) else { return nil }
        switch entry.alg {
        case SignatureAlgorithm.ecdsaP256SHA256.rawValue:
            guard let key = P256.Signing.PublicKey(spki) else { return nil }
            self = .p256(key)
        case SignatureAlgorithm.ed25519.rawValue:
            guard let key = Curve25519.Signing.PublicKey(spki) else { return nil }
            self = .ed25519(key)
        default:
            return nil
        }
    }
}
