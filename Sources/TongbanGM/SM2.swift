internal import CTongbanGM
import Foundation
import TongbanCore

/// SM2 signatures (GM/T 0003.2-2012, GB/T 32918.2-2016) on the recommended curve (GM/T 0003.5), with SM3 and a
/// distinguishing ID, through the system's OpenSSL libcrypto.
///
/// Two encodings of a signature: raw `r ‖ s` (64 bytes, each 32 bytes big-endian), which Tongban uses, and DER
/// (GM/T 0009: `SEQUENCE { r INTEGER, s INTEGER }`), which OpenSSL and certificates use.
public enum SM2 {
    /// The default distinguishing ID, `1234567812345678` (GM/T 0009-2012, section 10).
    public static let defaultID: [UInt8] = Array("1234567812345678".utf8)

    /// The size of a raw `r ‖ s` signature.
    public static let rawSignatureByteCount = 64

    /// The OpenSSL that libcrypto reports at run time, e.g. `OpenSSL 3.0.19 27 Jan 2026`.
    public static var libraryVersion: String { String(cString: tb_gm_openssl_version()) }

    /// A DER signature as raw `r ‖ s`. Throws `.signatureInvalid` unless it is one DER signature whose values fit
    /// in 32 bytes each.
    public static func rawSignature(fromDER der: some DataProtocol) throws -> [UInt8] {
        var raw = [UInt8](repeating: 0, count: rawSignatureByteCount)
        let ok = LibCrypto.withBytes(der) { bytes, count in tb_gm_sm2_der_to_raw(bytes, count, &raw) }
        guard ok == 1 else { throw TongbanError(.signatureInvalid, "not a DER SM2 signature") }
        return raw
    }

    /// A raw `r ‖ s` signature as DER. Throws `.signatureInvalid` unless it is 64 bytes.
    public static func derSignature(fromRaw raw: some DataProtocol) throws -> [UInt8] {
        let raw = Array(raw)
        guard raw.count == rawSignatureByteCount else {
            throw TongbanError(.signatureInvalid, "an SM2 signature is \(rawSignatureByteCount) bytes (r ‖ s), not \(raw.count)")
        }
        var der = [UInt8](repeating: 0, count: Int(TB_GM_SM2_DER_SIGNATURE_MAX))
        var length = 0
        guard tb_gm_sm2_raw_to_der(raw, &der, &length) == 1 else {
            throw LibCrypto.error(.internalError, "cannot encode an SM2 signature")
        }
        return Array(der.prefix(length))
    }
}
