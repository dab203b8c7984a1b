internal import CTongbanGM
import Foundation

/// HMAC (RFC 2104) with SM3 as the hash: 32-byte authentication codes.
public enum HMACSM3 {
    /// The HMAC-SM3 of `data` under `key` (32 bytes).
    public static func authenticationCode(for data: some DataProtocol, key: some DataProtocol) -> [UInt8] {
        var code = [UInt8](repeating: 0, count: SM3.byteCount)
        let ok = LibCrypto.withBytes(key) { keyBytes, keyCount in
            LibCrypto.withBytes(data) { bytes, count in tb_gm_hmac_sm3(keyBytes, keyCount, bytes, count, &code) }
        }
        precondition(ok == 1, "libcrypto's HMAC-SM3 failed")
        return code
    }

    /// Whether `code` is the HMAC-SM3 of `data` under `key`, compared in constant time.
    public static func isValidAuthenticationCode(
        _ code: some DataProtocol, for data: some DataProtocol, key: some DataProtocol
    ) -> Bool {
        let expected = authenticationCode(for: data, key: key)
        let given = Array(code)
        guard given.count == expected.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(given, expected) { difference |= left ^ right }
        return difference == 0
    }
}
