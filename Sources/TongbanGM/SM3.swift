internal import CTongbanGM
import Foundation

/// SM3, the national hash function (GM/T 0004-2012, GB/T 32905-2016): 256-bit digests.
public enum SM3 {
    /// The digest size in bytes.
    public static let byteCount = 32

    /// The SM3 digest of `data` (32 bytes).
    public static func hash(_ data: some DataProtocol) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: byteCount)
        let ok = LibCrypto.withBytes(data) { bytes, count in tb_gm_sm3(bytes, count, &digest) }
        // SM3 over memory fails only if libcrypto cannot allocate a context or was built without SM3 (the tests
        // rule that out for the system's OpenSSL); there is no safe digest to return instead.
        precondition(ok == 1, "libcrypto's SM3 failed")
        return digest
    }
}
