import Foundation
import FuzzSupport
import TongbanSigning

// The signature fields' fast reader (`SignatureFields.readCanonical`, issue 29), differential against the
// structured-field parser (`SignatureFields.readParsed`) on the same two fields.
//
// The input is two lines: `Signature-Input`, then `Signature` (the label is `tongban`). Properties:
// - nothing crashes;
// - whenever the fast reader reads the fields, the parser reads them too, to the same input — the same
//   `serialized` text, the same components (each serialised), the same parameters — and the same signature bytes;
// - fields written by a signer (`SignatureFields.inputField`, `signatureField`) from what the parser read are
//   read by the fast reader, to the same input: the fast reader takes every canonical pair, not only some.
Fuzz.run { input in
    let lines = String(decoding: input, as: UTF8.self).split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
    let (inputField, signatureField) = (lines.first ?? "", lines.count > 1 ? lines[1] : "")
    let label = "tongban"
    let parsed = try? SignatureFields.readParsed(label: label, input: inputField, signature: signatureField)
    func same(_ a: (SignatureInput, [UInt8]), _ b: (SignatureInput, [UInt8])) -> Bool {
        a.0.serialized == b.0.serialized && a.0.components.map(\.serialized) == b.0.components.map(\.serialized)
            && a.0.created == b.0.created && a.0.expires == b.0.expires && a.0.keyID == b.0.keyID && a.0.algorithm == b.0.algorithm
            && a.0.nonce == b.0.nonce && a.0.tag == b.0.tag && a.1 == b.1
    }
    if let fast = SignatureFields.readCanonical(label: label, input: inputField, signature: signatureField) {
        guard let parsed else { Fuzz.difference("canonical", "the fast reader read fields the parser refuses", input: input) }
        guard same(fast, parsed) else {
            Fuzz.difference("canonical", "the fast reader read \(fast.0.serialized), the parser \(parsed.0.serialized)", input: input)
        }
    }
    // What a signer would write from the parsed input: the fast reader must take it, unless it holds what the fast reader
    // leaves to the parser on purpose (component parameters other than req and key; parameters other than RFC 9421's).
    guard let parsed else { return }
    let written = (SignatureFields.inputField(label: label, parsed.0), SignatureFields.signatureField(label: label, parsed.1))
    guard let rewritten = try? SignatureFields.readParsed(label: label, input: written.0, signature: written.1) else { return }
    // Names and values the fast reader splits around (`;` between parameters, ` ` between items, `(` `)` around the
    // list) are left to the parser; a signer's names and key ids hold none of them.
    func simple(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && !"\"\\; ()".utf8.contains($0) }
    }
    let plain = rewritten.0.components.allSatisfy { component in
        component.queryName == nil && simple(component.name) && (component.key.map(simple) ?? true)
            && component.serialized == ComponentIdentifier(component.name, req: component.fromRequest, key: component.key).serialized
    }
    let rebuilt = SignatureInput(components: rewritten.0.components, created: rewritten.0.created, keyID: rewritten.0.keyID,
                                 algorithm: rewritten.0.algorithm, expires: rewritten.0.expires, nonce: rewritten.0.nonce, tag: rewritten.0.tag)
    guard plain, rebuilt.serialized == rewritten.0.serialized,
          [rewritten.0.keyID, rewritten.0.algorithm, rewritten.0.nonce, rewritten.0.tag].allSatisfy({ value in value.map(simple) ?? true }),
          [rewritten.0.created, rewritten.0.expires].allSatisfy({ value in value.map { abs($0) < 1_000_000_000_000_000 / 1000 } ?? true })
    else { return }
    guard let fast = SignatureFields.readCanonical(label: label, input: written.0, signature: written.1) else {
        Fuzz.difference("canonical", "the fast reader refused what a signer writes: \(written.0) / \(written.1)", input: input)
    }
    guard same(fast, rewritten) else { Fuzz.difference("canonical", "written and read differently: \(written.0)", input: input) }
}
