import Foundation
import FuzzSupport
import RawStructuredFieldValues
import TongbanSigning

// The signature-input and signature-base code of RFC 9421: `SignatureFields.read` (which parses `Signature-Input`
// and `Signature` and builds the `SignatureInput` with its components), `SignatureBase.make`, and the shortcut
// `SignatureFields.knownSignatureMember`.
//
// The input is lines: `Signature-Input`, `Signature`, the request target (path and query), then any number of
// `name: value` field lines (more `Signature-Input` or `Signature` lines are combined, as a receiver does).
// Properties:
// - nothing crashes;
// - a parsed input, written again (`SignatureFields.inputField`) and read back, is the same input: the same
//   `serialized` text, components and parameters, and the signature bytes written again read back the same;
// - a signature base, when one can be made, is one line per component and ends with `"@signature-params": ` and
//   the input as serialised, for the request and for a response bound to it;
// - `knownSignatureMember`, when it recognises a member, gives exactly what parsing the field and writing the
//   member again gives (what the base of an answer bound to this request would otherwise compute).
Fuzz.run { input in
    let lines = String(decoding: input, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var fields: [(name: String, value: String)] = []
    if lines.count > 0 { fields.append((SignatureFields.inputName, lines[0])) }
    if lines.count > 1 { fields.append((SignatureFields.signatureName, lines[1])) }
    let target = lines.count > 2 ? lines[2] : "/v1/query?x=1"
    for line in lines.dropFirst(3) {
        let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        fields.append((String(parts[0]), parts.count > 1 ? String(parts[1]) : ""))
    }
    let request = HTTPMessageView.request(method: "POST", scheme: "https", authority: "province-31.tongban.invalid:7443", target: target, fields: fields)
    let response = HTTPMessageView.response(status: 200, fields: fields)

    // The label: the first member of Signature-Input when it is a dictionary, else Tongban's.
    let label = request.field(SignatureFields.inputName).flatMap { try? StructuredDictionary.parse($0) }?.first?.0 ?? "tongban"
    guard let (parsed, signature) = try? SignatureFields.read(label: label, from: request) else { return }

    // Written again and read back: the same input.
    let rewritten = HTTPMessageView.request(method: "POST", scheme: "https", authority: "a", target: "/",
                                            fields: [(SignatureFields.inputName, SignatureFields.inputField(label: label, parsed)),
                                                     (SignatureFields.signatureName, SignatureFields.signatureField(label: label, signature))])
    guard let (again, signatureAgain) = try? SignatureFields.read(label: label, from: rewritten) else {
        Fuzz.difference("signature", "the input written as \(SignatureFields.inputField(label: label, parsed)) does not read back", input: input)
    }
    guard again.serialized == parsed.serialized, again.components.map(\.serialized) == parsed.components.map(\.serialized),
          again.created == parsed.created, again.expires == parsed.expires, again.keyID == parsed.keyID,
          again.algorithm == parsed.algorithm, again.nonce == parsed.nonce, again.tag == parsed.tag else {
        Fuzz.difference("signature", "read back differently: \(parsed.serialized) became \(again.serialized)", input: input)
    }
    guard signatureAgain == signature else { Fuzz.difference("signature", "the signature bytes read back differently", input: input) }
    // A built input with the same components and parameters serialises as the parsed one when it holds only these.
    let built = SignatureInput(components: parsed.components, created: parsed.created, keyID: parsed.keyID, algorithm: parsed.algorithm,
                               expires: parsed.expires, nonce: parsed.nonce, tag: parsed.tag)
    if let again = try? SignatureFields.read(label: label, from: HTTPMessageView.request(
        method: "GET", scheme: "https", authority: "a", target: "/",
        fields: [(SignatureFields.inputName, SignatureFields.inputField(label: label, built)), (SignatureFields.signatureName, "\(label)=:AAAA:")])).0 {
        guard again.serialized == built.serialized else {
            Fuzz.difference("signature", "a built input \(built.serialized) reads back as \(again.serialized)", input: input)
        }
    } else {
        Fuzz.difference("signature", "a built input \(built.serialized) does not read back", input: input)
    }

    for (message, bound) in [(request, nil), (response, request)] as [(HTTPMessageView, HTTPMessageView?)] {
        guard let base = try? SignatureBase.make(parsed, message: message, request: bound) else { continue }
        let ending = "\"@signature-params\": " + parsed.serialized
        guard base.hasSuffix(ending), base.split(separator: "\n", omittingEmptySubsequences: false).count >= parsed.components.count + 1 else {
            Fuzz.difference("signature", "a signature base that does not end with its parameters: \(base)", input: input)
        }
    }

    if let known = SignatureFields.knownSignatureMember(label: label, signature: signature, in: request) {
        let member = request.field(SignatureFields.signatureName).flatMap { try? StructuredDictionary.parse($0) }?.first(where: { $0.0 == label })?.1
        guard let member, StructuredDictionary.serialize(member) == known else {
            Fuzz.difference("signature", "knownSignatureMember says \(known), parsing says \(String(describing: member))", input: input)
        }
    }
}
