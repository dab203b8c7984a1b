import Foundation
import Testing
import TongbanCore
@testable import TongbanGM

/// The published SM2 signature example on the recommended curve.
///
/// Source: GM/T 0003.5-2012 (and GB/T 32918.5-2017), Appendix A: signature and verification on the recommended
/// 256-bit curve with SM3 and the default ID `1234567812345678`, message "message digest". The same values are in
/// OpenSSL's `test/sm2_internal_test.c` (`sm2_sig_test`, "From Annex A in both GM/T0003.5-2012 and GB/T
/// 32918.5-2016"). GM/T 0003.2-2012's own appendix and draft-shen-sm2-ecdsa use a test curve
/// (p = 8542D69E…), which OpenSSL's EVP interface does not take, so that example is not used here.
@Suite struct SM2VectorTests {
    static let privateKey = "3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8"
    static let publicX = "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
    static let publicY = "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13"
    static let r = "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3"
    static let s = "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA"
    static let message = Array("message digest".utf8)

    /// SubjectPublicKeyInfo for an SM2 point: id-ecPublicKey with the curve sm2p256v1 (1.2.156.10197.1.301).
    static func spki(x: String, y: String) -> [UInt8] {
        Hex.bytes("3059301306072a8648ce3d020106082a811ccf5501822d03420004") + Hex.bytes(x) + Hex.bytes(y)
    }

    /// PKCS#8 for an SM2 private scalar without its public point (OpenSSL computes the point).
    static func pkcs8PEM(privateKey: String) -> String {
        let der = Hex.bytes("3041020100301306072a8648ce3d020106082a811ccf5501822d042730250201010420") + Hex.bytes(privateKey)
        return "-----BEGIN PRIVATE KEY-----\n\(Data(der).base64EncodedString())\n-----END PRIVATE KEY-----\n"
    }

    @Test func verifiesTheAppendixSignature() throws {
        let key = try SM2PublicKey(spki: Self.spki(x: Self.publicX, y: Self.publicY))
        let signature = Hex.bytes(Self.r + Self.s)
        #expect(key.isValidSignature(signature, for: Self.message))
        #expect(key.isValidDERSignature(try SM2.derSignature(fromRaw: signature), for: Self.message))

        // Any change to the message, the ID or the signature is refused.
        #expect(!key.isValidSignature(signature, for: Array("message digesT".utf8)))
        #expect(!key.isValidSignature(signature, for: Self.message, distinguishingID: Array("ALICE123@YAHOO.COM".utf8)))
        var flipped = signature
        flipped[63] ^= 1
        #expect(!key.isValidSignature(flipped, for: Self.message))
        #expect(!key.isValidSignature(Array(signature.prefix(63)), for: Self.message))
        #expect(!key.isValidSignature([UInt8](repeating: 0, count: 64), for: Self.message))
    }

    @Test func theAppendixPrivateKeyGivesItsPublicKey() throws {
        let key = try SM2PrivateKey(pem: Self.pkcs8PEM(privateKey: Self.privateKey))
        #expect(key.publicKey.derRepresentation == Self.spki(x: Self.publicX, y: Self.publicY))
        // SM2 signatures are randomised (k): a new one differs from the appendix's but verifies the same way.
        let signature = try key.sign(Self.message)
        #expect(signature.count == 64)
        #expect(signature != Hex.bytes(Self.r + Self.s))
        #expect(key.publicKey.isValidSignature(signature, for: Self.message))
    }
}
