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
        if let canonical = readCanonical(label: label, input: inputField, signature: signatureField) { return canonical }
        return try readParsed(label: label, input: inputField, signature: signatureField)
    }

    /// `read` through the structured-field parser, whatever the fields' form.
    public static func readParsed(label: String, input inputField: String, signature signatureField: String) throws(SignatureError) -> (SignatureInput, [UInt8]) {
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

    /// The serialised `Signature` member for `label` — `:base64:` — when it is the byte sequence `signature`
    /// without parameters, as RFC 9421 §2.1.2 re-serialises it for `"signature";key=…`. Nil otherwise (then the
    /// signature base parses the field itself).
    public static func knownSignatureMember(label: String, signature: [UInt8], in message: HTTPMessageView) -> String? {
        guard var field = message.field(signatureName) else { return nil }
        // The usual field, one member exactly as a signer writes it, is recognised without parsing it a second time.
        var (label, member) = (label, ":" + Data(signature).base64EncodedString() + ":")
        let usual = field.withUTF8 { text in
            label.withUTF8 { label in
                member.withUTF8 { member in
                    text.count == label.count + 1 + member.count && starts(text, with: label) && text[label.count] == UInt8(ascii: "=")
                        && equal(Bytes(rebasing: text[(label.count + 1)...]), member)
                }
            }
        }
        if usual { return member }
        guard let members = try? StructuredDictionary.parse(field),
              case .item(let item)? = members.first(where: { $0.0 == label })?.1, item.rfc9651Parameters.isEmpty,
              case .undecodedByteSequence(let base64) = item.rfc9651BareItem,
              let bytes = Data(base64Encoded: base64), bytes.elementsEqual(signature) else { return nil }
        return ":" + base64 + ":"
    }

    /// Remembers in `message` its `Signature` member `label` when `knownSignatureMember` recognises it, so that the
    /// signature base of an answer bound to this request (`"signature";req;key=label`) need not parse the field again.
    public static func rememberSignatureMember(label: String, signature: [UInt8], in message: inout HTTPMessageView) {
        if let member = knownSignatureMember(label: label, signature: signature, in: message) {
            message.knownMembers[HTTPMessageView.knownMemberKey("signature", label)] = member
        }
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
