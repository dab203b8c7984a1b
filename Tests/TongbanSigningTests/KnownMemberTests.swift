import Crypto
import Foundation
import Testing
@testable import TongbanSigning

/// The shortcut for `"signature";key="tongban"` gives exactly what parsing and re-serialising the member gives,
/// and declines whenever the field is not in the plain shape it can read without parsing.
@Suite struct KnownMemberTests {
    static let component = ComponentIdentifier("signature", req: true, key: "tongban")

    @Test(arguments: [MessageSigningKey.p256(P256.Signing.PrivateKey()), .ed25519(Curve25519.Signing.PrivateKey())])
    func knownMemberEqualsTheParsedOne(_ key: MessageSigningKey) throws {
        let signer = MessageSigner(key: key, keyID: "kid", label: TongbanProfile.label)
        var request = MessageVerifierTests.request(body: true)
        let signed = try signer.sign(request, covering: TongbanProfile.requestComponents(hasBody: true))
        for other in ["", "other=:AAAA:, ", "x=?1, ", "tongban=:AAAA:, "] {  // a repeated key: the last one counts
            var view = request
            view.fields += [("Signature-Input", signed.input), ("Signature", other + signed.signature)]
            let (_, signature) = try SignatureFields.read(label: TongbanProfile.label, from: view)
            let known = try #require(SignatureFields.knownSignatureMember(label: TongbanProfile.label, signature: signature, in: view))
            #expect(known == (try SignatureBase.value(of: Self.component, in: view)))
            view.knownMembers["signature;tongban"] = known
            #expect(try SignatureBase.value(of: Self.component, in: view) == known)
        }
        request.fields += [("Signature-Input", signed.input)]
        let bytes = [UInt8](repeating: 7, count: 64)
        let member = ":" + Data(bytes).base64EncodedString() + ":"
        let sameLength = ":" + Data([UInt8](repeating: 8, count: 64)).base64EncodedString() + ":"
        for field in ["tongban=\(member);p=1", "tongban=\(member), tongban=:AAAA:", "xtongban=\(member)", "tongban=:AAAA:",
                      "tongbax=\(member)", "tongban:\(member)", "tongban=\(sameLength)"] {
            var view = request
            view.fields += [("Signature", field)]
            #expect(SignatureFields.knownSignatureMember(label: "tongban", signature: bytes, in: view) == nil, "\(field)")
        }
    }
}
