import Crypto
import Foundation
import RawStructuredFieldValues
import TongbanGM

/// RFC 9530 `Content-Digest`: digests of the content as sent (after any content coding).
public enum ContentDigest {
    public static let fieldName = "Content-Digest"

    public enum Algorithm: String, Sendable, CaseIterable {
        case sha256 = "sha-256"
        case sha512 = "sha-512"
        /// SM3 (GM/T 0004): Tongban's own name, not in the IANA registry of RFC 9530 algorithms.
        case sm3 = "sm3"

        func digest<D: DataProtocol>(_ data: D) -> [UInt8] {
            switch self {
            case .sha256: Array(SHA256.hash(data: data))
            case .sha512: Array(SHA512.hash(data: data))
            case .sm3: SM3.hash(data)
            }
        }
    }

    /// The field value for `body`, e.g. `sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:`.
    public static func field<D: DataProtocol>(for body: D, algorithms: [Algorithm] = [.sha256]) -> String {
        algorithms.map { "\($0.rawValue)=:\(Data($0.digest(body)).base64EncodedString()):" }.joined(separator: ", ")
    }

    /// Checks `field` against `body`: every digest of a known algorithm must match, and at least one must be known.
    public static func verify<D: DataProtocol>(_ field: String, body: D) throws(SignatureError) {
        if matchesCanonical(field, body: body) { return }
        try verifyParsed(field, body: body)
    }

    /// `verify` through the structured-field parser, whatever the field's form.
    static func verifyParsed<D: DataProtocol>(_ field: String, body: D) throws(SignatureError) {
        guard let dictionary = try? StructuredDictionary.parse(field) else {
            throw SignatureError(.digestMismatch, "Content-Digest is not a structured dictionary")
        }
        var checked = 0
        for (name, member) in dictionary {
            guard let algorithm = Algorithm(rawValue: name) else { continue }
            guard case .item(let item) = member, case .undecodedByteSequence(let base64) = item.rfc9651BareItem,
                  let expected = Data(base64Encoded: base64) else {
                throw SignatureError(.digestMismatch, "Content-Digest \(name) is not a byte sequence")
            }
            guard Array(expected) == algorithm.digest(body) else {
                throw SignatureError(.digestMismatch, "Content-Digest \(name) does not match the content received")
            }
            checked += 1
        }
        guard checked > 0 else { throw SignatureError(.digestMismatch, "Content-Digest names no supported algorithm (sha-256, sha-512, sm3)") }
    }

    /// Whether `field` is one member exactly as `field(for:)` writes it (`sha-256=:base64:`, an algorithm Tongban
    /// knows, nothing else) and its digest is `body`'s: read without the structured-field parser. False for anything
    /// else, a mismatch included; `verify` then parses the field and says what is wrong. (What this takes, the parser
    /// takes too, to the same member: a known key, then a byte sequence of base64 characters.)
    static func matchesCanonical<D: DataProtocol>(_ field: String, body: D) -> Bool {
        var field = field
        return field.withUTF8 { text in
            guard let equals = text.firstIndex(of: UInt8(ascii: "=")),
                  let algorithm = Algorithm(rawValue: String(decoding: UnsafeBufferPointer(rebasing: text[..<equals]), as: UTF8.self)),
                  text.count >= equals + 3, text[equals + 1] == UInt8(ascii: ":"), text[text.count - 1] == UInt8(ascii: ":") else { return false }
            let base64 = UnsafeBufferPointer(rebasing: text[(equals + 2)..<(text.count - 1)])
            guard base64.allSatisfy(SignatureFields.isBase64), let expected = Data(base64Encoded: Data(base64)) else { return false }
            return expected.elementsEqual(algorithm.digest(body))
        }
    }
}
