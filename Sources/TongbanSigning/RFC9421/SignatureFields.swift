import Foundation
import RawStructuredFieldValues

/// Parsing and serialising the `Signature-Input` and `Signature` fields (RFC 9421 §4) with
/// swift-http-structured-headers.
public enum SignatureFields {
    public static let inputName = "Signature-Input"
    public static let signatureName = "Signature"

    /// The input and signature bytes labelled `label` in `message`.
    public static func read(label: String, from message: HTTPMessageView) throws(SignatureError) -> (SignatureInput, [UInt8]) {
        guard let inputField = message.field(inputName), let signatureField = message.field(signatureName) else {
            throw SignatureError(.missing, "no Signature-Input and Signature fields")
        }
        let inputs: OrderedMap<String, ItemOrInnerList>
        let signatures: OrderedMap<String, ItemOrInnerList>
        do {
            inputs = try StructuredDictionary.parse(inputField)
            signatures = try StructuredDictionary.parse(signatureField)
        } catch {
            throw SignatureError(.invalid, "Signature-Input or Signature is not a structured dictionary")
        }
        guard let inputMember = inputs.first(where: { $0.0 == label })?.1,
              let signatureMember = signatures.first(where: { $0.0 == label })?.1 else {
            throw SignatureError(.missing, "no signature labelled \(label)")
        }
        guard case .innerList(let innerList) = inputMember else { throw SignatureError(.invalid, "Signature-Input member \(label) is not an inner list") }
        guard case .item(let item) = signatureMember, case .undecodedByteSequence(let base64) = item.rfc9651BareItem,
              let bytes = Data(base64Encoded: base64) else {
            throw SignatureError(.invalid, "Signature member \(label) is not a byte sequence")
        }
        return (try SignatureInput(innerList: innerList), Array(bytes))
    }

    /// The serialised `Signature` member for `label` — `:base64:` — when `signature` is exactly what the field
    /// carries for it: one member with that label, canonical base64, no parameters. Nil otherwise (then the field
    /// must be parsed to know its member's serialisation).
    public static func knownSignatureMember(label: String, signature: [UInt8], in message: HTTPMessageView) -> String? {
        guard let field = message.field(signatureName) else { return nil }
        let member = ":" + Data(signature).base64EncodedString() + ":"
        let entry = label + "=" + member
        let occurrences = field.components(separatedBy: label + "=").count - 1
        guard occurrences == 1, let range = field.range(of: entry) else { return nil }
        let before = field[..<range.lowerBound].last, after = field[range.upperBound...].first
        guard before == nil || before == " " || before == "," else { return nil }
        guard after == nil || after == " " || after == "," else { return nil }
        return member
    }

    /// `label=(…);params` for Signature-Input.
    public static func inputField(label: String, _ input: SignatureInput) -> String {
        "\(label)=\(input.serialized)"
    }

    /// `label=:base64:` for Signature.
    public static func signatureField(label: String, _ signature: [UInt8]) -> String {
        "\(label)=:\(Data(signature).base64EncodedString()):"
    }
}
