import Foundation
import FuzzSupport
import TongbanGM

// SM2 signatures between their two encodings (`SM2.rawSignature(fromDER:)`, `SM2.derSignature(fromRaw:)`, the
// system's libcrypto underneath). Properties:
// - any bytes read as DER never crash; when they read, the 64 raw bytes written as DER read back to the same raw;
// - any 64 bytes (r and s each 0 … 2²⁵⁶ − 1) written as DER read back to the same 64 bytes, and that DER is the
//   strict one: SEQUENCE of two minimal INTEGERs, short-form lengths (at most 72 bytes);
// - DER that reads but is not the DER written for its value (a second encoding of one signature) is counted and
//   printed once: libcrypto's parser decides, and Tongban only ever converts libcrypto's own output.
nonisolated(unsafe) var reportedNonCanonical = false

Fuzz.run { input in
    if let raw = try? SM2.rawSignature(fromDER: input) {
        guard raw.count == 64, let der = try? SM2.derSignature(fromRaw: raw), (try? SM2.rawSignature(fromDER: der)) == raw else {
            Fuzz.difference("sm2", "DER read as \(raw.count) raw bytes does not write back to the same raw signature", input: input)
        }
        if der != input, !reportedNonCanonical {
            reportedNonCanonical = true
            print("sm2: note: libcrypto reads a second DER encoding of one signature (reported once): \(input.map { String(format: "%02x", $0) }.joined())")
        }
    }
    if input.count >= 64 {
        let raw = Array(input.prefix(64))
        guard let der = try? SM2.derSignature(fromRaw: raw) else { Fuzz.difference("sm2", "64 raw bytes do not write as DER", input: input) }
        guard (try? SM2.rawSignature(fromDER: der)) == raw else { Fuzz.difference("sm2", "raw → DER → raw is not the identity", input: input) }
        guard Strict.isDER(der, raw: raw) else {
            Fuzz.difference("sm2", "the DER written is not the strict encoding: \(der.map { String(format: "%02x", $0) }.joined())", input: input)
        }
    }
}

enum Strict {
    /// The minimal two's-complement INTEGER for an unsigned big-endian value.
    static func integer(_ value: ArraySlice<UInt8>) -> [UInt8] {
        var digits = Array(value.drop { $0 == 0 })
        if digits.isEmpty { digits = [0] }
        if digits[0] & 0x80 != 0 { digits.insert(0, at: 0) }
        return [0x02, UInt8(digits.count)] + digits
    }

    static func isDER(_ der: [UInt8], raw: [UInt8]) -> Bool {
        let body = integer(raw[0..<32]) + integer(raw[32..<64])
        return der == [0x30, UInt8(body.count)] + body
    }
}
