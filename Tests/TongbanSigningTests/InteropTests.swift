import Crypto
import Foundation
import Testing
import TongbanSigning
import TongbanTestKit

/// Interoperability with an independent RFC 9421 implementation: the PyPI package `http-message-signatures`
/// 3.0.0 verifies what Tongban signs, and Tongban verifies what it signs, for both algorithms.
/// `make test` installs it into `.build/interop-venv` (`make interop-venv`).
@Suite struct InteropTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = repository.appendingPathComponent(".build/interop-venv/bin/python3").path
    static let script = repository.appendingPathComponent("Tests/Interop/interop.py").path

    struct Keys {
        let signing: MessageSigningKey
        let privatePEM: String
        let publicPEM: String

        static func make(_ algorithm: SignatureAlgorithm) -> Keys {
            switch algorithm {
            case .ecdsaP256SHA256:
                let key = P256.Signing.PrivateKey()
                return Keys(signing: .p256(key), privatePEM: key.pemRepresentation, publicPEM: key.publicKey.pemRepresentation)
            case .ed25519:
                let key = Curve25519.Signing.PrivateKey()
                let pkcs8 = Data([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]) + key.rawRepresentation
                let spki = Data([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]) + key.publicKey.rawRepresentation
                return Keys(signing: .ed25519(key), privatePEM: pem("PRIVATE KEY", pkcs8), publicPEM: pem("PUBLIC KEY", spki))
            case .sm2SM3:
                preconditionFailure("sm2-sm3 is not in the interop library")
            }
        }

        static func pem(_ label: String, _ der: Data) -> String {
            "-----BEGIN \(label)-----\n\(der.base64EncodedString())\n-----END \(label)-----\n"
        }
    }

    static let requestBody = Data(#"{"resource":"HR-001","subjects":["11010519491231002X"]}"#.utf8)
    static let responseBody = Data(#"{"records":[]}"#.utf8)
    static let requestID = "2f1e7f3a-5a0f-4c55-9a49-6a1c0f6e7b10"

    static func request(signedBy signer: MessageSigner?) throws -> HTTPMessageView {
        var view = HTTPMessageView.request(method: "POST", scheme: "https", authority: "127.0.0.1:7443", target: "/v1/query?lang=zh", fields: [
            ("Tongban-Request-Id", requestID), ("Content-Type", "application/json"),
            ("Content-Digest", ContentDigest.field(for: requestBody)),
        ])
        if let signer {
            let signed = try signer.sign(view, covering: TongbanProfile.requestComponents(hasBody: true))
            view.fields += [("Signature-Input", signed.input), ("Signature", signed.signature)]
        }
        return view
    }

    static func response(to request: HTTPMessageView, signedBy signer: MessageSigner?) throws -> HTTPMessageView {
        var view = HTTPMessageView.response(status: 200, fields: [
            ("Content-Type", "application/json"), ("Content-Digest", ContentDigest.field(for: responseBody, algorithms: [.sha512])),
            ("Tongban-Request-Id", requestID),
        ])
        if let signer {
            let signed = try signer.sign(view, request: request, covering: TongbanProfile.responseComponents(bindingRequest: true))
            view.fields += [("Signature-Input", signed.input), ("Signature", signed.signature)]
        }
        return view
    }

    static func caseJSON(_ keys: Keys, _ algorithm: SignatureAlgorithm, request: HTTPMessageView, response: HTTPMessageView) throws -> Data {
        func fields(_ view: HTTPMessageView) -> [[String]] { view.fields.map { [$0.name, $0.value] } }
        let object: [String: Any] = [
            "alg": algorithm.rawValue, "keyId": "interop-key", "publicKeyPem": keys.publicPEM, "privateKeyPem": keys.privatePEM,
            "request": ["method": "POST", "url": "https://127.0.0.1:7443/v1/query?lang=zh", "headers": fields(request),
                        "body": requestBody.base64EncodedString()],
            "response": ["status": 200, "headers": fields(response), "body": responseBody.base64EncodedString()],
        ]
        return try JSONSerialization.data(withJSONObject: object)
    }

    func runPython(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try #require(FileManager.default.isExecutableFile(atPath: Self.python), "no interop venv: run 'make interop-venv' (make test does)")
        return try Spawn.capture(Self.python, [Self.script] + arguments)
    }

    /// The registered algorithms: the Python library knows no `sm2-sm3` (Tongban's own; checked against the
    /// OpenSSL command line in `SM2ProfileTests`).
    static let registered: [SignatureAlgorithm] = [.ecdsaP256SHA256, .ed25519]

    @Test(arguments: registered)
    func pythonVerifiesWhatTongbanSigns(_ algorithm: SignatureAlgorithm) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let keys = Keys.make(algorithm)
        let signer = MessageSigner(key: keys.signing, keyID: "interop-key", label: TongbanProfile.label)
        let request = try Self.request(signedBy: signer)
        let response = try Self.response(to: request, signedBy: signer)
        let path = directory.file("case.json")
        try Self.caseJSON(keys, algorithm, request: request, response: response).write(to: URL(fileURLWithPath: path))
        let result = try runPython(["verify", path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("\"verified\": true"), "\(result.output)")
        #expect(result.output.contains("signature"), "the response's binding to the request was not checked: \(result.output)")

        // The checker can fail: a response bound to another request does not verify there either.
        let other = try Self.request(signedBy: MessageSigner(key: Keys.make(algorithm).signing, keyID: "interop-key", label: "tongban"))
        try Self.caseJSON(keys, algorithm, request: other, response: response).write(to: URL(fileURLWithPath: path))
        #expect(try runPython(["verify", path]).status != 0)
    }

    @Test(arguments: registered)
    func tongbanVerifiesWhatPythonSigns(_ algorithm: SignatureAlgorithm) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let keys = Keys.make(algorithm)
        var request = try Self.request(signedBy: nil)
        var response = try Self.response(to: request, signedBy: nil)
        let path = directory.file("case.json")
        try Self.caseJSON(keys, algorithm, request: request, response: response).write(to: URL(fileURLWithPath: path))
        let result = try runPython(["sign", path])
        #expect(result.status == 0, "\(result.output)")
        let signed = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: String])
        request.fields.removeAll { $0.name == "Content-Digest" }
        response.fields.removeAll { $0.name == "Content-Digest" }
        request.fields += [("Content-Digest", signed["requestContentDigest"]!), ("Signature-Input", signed["requestSignatureInput"]!),
                           ("Signature", signed["requestSignature"]!)]
        response.fields += [("Content-Digest", signed["responseContentDigest"]!), ("Signature-Input", signed["responseSignatureInput"]!),
                            ("Signature", signed["responseSignature"]!)]
        let verifier = MessageVerifier(label: TongbanProfile.label)
        let (requestInput, requestSignature) = try verifier.inspect(request, required: TongbanProfile.requestComponents(hasBody: true))
        try verifier.verify(requestInput, signature: requestSignature, message: request, key: keys.signing.verificationKey)
        let (responseInput, responseSignature) = try verifier.inspect(response, required: TongbanProfile.responseComponents(bindingRequest: true))
        try verifier.verify(responseInput, signature: responseSignature, message: response, request: request, key: keys.signing.verificationKey)
        try ContentDigest.verify(request.field("Content-Digest")!, body: Self.requestBody)
        try ContentDigest.verify(response.field("Content-Digest")!, body: Self.responseBody)
        #expect(throws: SignatureError.self) { try ContentDigest.verify(response.field("Content-Digest")!, body: Self.requestBody) }
    }
}
