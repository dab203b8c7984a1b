import Crypto
import Foundation
import Testing
@testable import TongbanSigning

/// The Tongban profile end to end, without a network: sign, parse, inspect, verify — and each refusal.
@Suite struct MessageVerifierTests {
    static func request(body: Bool) -> HTTPMessageView {
        var fields: [(name: String, value: String)] = [("Tongban-Request-Id", "0b9e6f1c-8a51-4f0e-9a43-3b2b2f8a1e00")]
        if body {
            fields += [("Content-Type", "application/json"), ("Content-Digest", ContentDigest.field(for: Data("{}".utf8)))]
        }
        return .request(method: body ? "POST" : "GET", scheme: "https", authority: "127.0.0.1:7443", target: "/v1/query", fields: fields)
    }

    @Test(arguments: [MessageSigningKey.p256(P256.Signing.PrivateKey()), .ed25519(Curve25519.Signing.PrivateKey())])
    func signedRequestAndBoundResponseVerify(_ key: MessageSigningKey) throws {
        let signer = MessageSigner(key: key, keyID: "kid", label: TongbanProfile.label)
        var request = Self.request(body: true)
        let signed = try signer.sign(request, covering: TongbanProfile.requestComponents(hasBody: true))
        request.fields += [("Signature-Input", signed.input), ("Signature", signed.signature)]
        let verifier = MessageVerifier(label: TongbanProfile.label)
        let (input, signature) = try verifier.inspect(request, required: TongbanProfile.requestComponents(hasBody: true))
        #expect(input.keyID == "kid")
        #expect(input.algorithm == key.algorithm.rawValue)
        try verifier.verify(input, signature: signature, message: request, key: key.verificationKey)

        var response = HTTPMessageView.response(status: 200, fields: [
            ("Content-Type", "application/json"), ("Content-Digest", ContentDigest.field(for: Data("[]".utf8))),
            ("Tongban-Request-Id", "0b9e6f1c-8a51-4f0e-9a43-3b2b2f8a1e00"),
        ])
        let responseSigned = try signer.sign(response, request: request, covering: TongbanProfile.responseComponents(bindingRequest: true))
        response.fields += [("Signature-Input", responseSigned.input), ("Signature", responseSigned.signature)]
        let (responseInput, responseSignature) = try verifier.inspect(response, required: TongbanProfile.responseComponents(bindingRequest: true))
        try verifier.verify(responseInput, signature: responseSignature, message: response, request: request, key: key.verificationKey)

        // The same response presented as the answer to another request does not verify.
        var other = Self.request(body: true)
        let otherSigned = try signer.sign(other, covering: TongbanProfile.requestComponents(hasBody: true), created: Date().addingTimeInterval(-1))
        other.fields += [("Signature-Input", otherSigned.input), ("Signature", otherSigned.signature)]
        #expect { try verifier.verify(responseInput, signature: responseSignature, message: response, request: other, key: key.verificationKey) }
            throws: { ($0 as? SignatureError)?.kind == .invalid }
    }

    @Test func eachRefusalHasItsKind() throws {
        let key = MessageSigningKey.p256(P256.Signing.PrivateKey())
        let signer = MessageSigner(key: key, keyID: "kid", label: TongbanProfile.label)
        let verifier = MessageVerifier(label: TongbanProfile.label)
        let required = TongbanProfile.requestComponents(hasBody: false)
        func signed(_ components: [ComponentIdentifier], created: Date = Date(), mutate: (inout HTTPMessageView) -> Void = { _ in }) throws -> HTTPMessageView {
            var request = Self.request(body: false)
            let fields = try signer.sign(request, covering: components, created: created)
            request.fields += [("Signature-Input", fields.input), ("Signature", fields.signature)]
            mutate(&request)
            return request
        }
        func kind(_ message: HTTPMessageView) -> SignatureError.Kind? {
            do {
                let (input, signature) = try verifier.inspect(message, required: required)
                try verifier.verify(input, signature: signature, message: message, key: key.verificationKey)
                return nil
            } catch { return error.kind }
        }
        #expect(kind(Self.request(body: false)) == .missing)
        #expect(kind(try signed(required) { $0.fields.removeAll { $0.name == "Signature" }; $0.fields.append(("Signature", "tongban=(((")) }) == .invalid)
        #expect(kind(try signed(Array(required.dropLast()))) == .incomplete)
        #expect(kind(try signed(required, created: Date().addingTimeInterval(-301))) == .expired)
        #expect(kind(try signed(required, created: Date().addingTimeInterval(120))) == .expired)
        #expect(kind(try signed(required) { $0.start = .request(method: "DELETE", scheme: "https", authority: "127.0.0.1:7443", target: "/v1/query") }) == .invalid)
        #expect(kind(try signed(required)) == nil)
        // alg that does not match the key.
        let edKey = MessageSigningKey.ed25519(Curve25519.Signing.PrivateKey())
        let message = try signed(required)
        let (input, signature) = try verifier.inspect(message, required: required)
        #expect { try verifier.verify(input, signature: signature, message: message, key: edKey.verificationKey) } throws: { ($0 as? SignatureError)?.kind == .invalid }
    }
}
