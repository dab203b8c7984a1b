internal import CTongbanGM
import Foundation
import TongbanCore

/// A start-up check that the system's libcrypto computes the national algorithms, run before a gateway relies on them
/// (`audit.hash: sm3`, an SM2 signing key): SM3 and HMAC-SM3 against published vectors (GM/T 0004 "abc"; HMAC-SM3 with
/// RFC 4231 case 1's inputs, as Bouncy Castle checks it), and an SM2 signature that verifies. An OpenSSL built without
/// SM2/SM3, or restricted to a FIPS provider, fails here with its own reason instead of stopping the daemon later.
public enum GMSelfTest {
    public static func run() throws(TongbanError) {
        var digest = [UInt8](repeating: 0, count: SM3.byteCount)
        let abc = Array("abc".utf8)
        guard tb_gm_sm3(abc, abc.count, &digest) == 1 else { throw LibCrypto.error(.configInvalid, "\(SM2.libraryVersion) cannot compute SM3") }
        guard digest.hexString == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0" else {
            throw TongbanError(.configInvalid, "\(SM2.libraryVersion) computes SM3(\"abc\") as \(digest.hexString), not GM/T 0004's vector")
        }
        let key = [UInt8](repeating: 0x0b, count: 20), message = Array("Hi There".utf8)
        guard tb_gm_hmac_sm3(key, key.count, message, message.count, &digest) == 1 else {
            throw LibCrypto.error(.configInvalid, "\(SM2.libraryVersion) cannot compute HMAC-SM3")
        }
        guard digest.hexString == "51b00d1fb49832bfb01c3ce27848e59f871d9ba938dc563b338ca964755cce70" else {
            throw TongbanError(.configInvalid, "\(SM2.libraryVersion) computes a wrong HMAC-SM3")
        }
        do {
            let pair = try SM2PrivateKey()
            let signature = try pair.sign(abc)
            guard pair.publicKey.isValidSignature(signature, for: abc) else {
                throw TongbanError(.configInvalid, "\(SM2.libraryVersion) makes SM2 signatures it does not verify")
            }
        } catch let error as TongbanError {
            throw error
        } catch {
            throw TongbanError(.configInvalid, "\(SM2.libraryVersion) cannot make SM2 signatures: \(error)")
        }
    }
}
