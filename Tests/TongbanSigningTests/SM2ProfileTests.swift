import Crypto
import Foundation
import Testing
import TongbanCore
import TongbanGM
import TongbanSigning
import TongbanTestKit

/// The `sm2-sm3` signature algorithm and the `sm3` Content-Digest of the Tongban profile (Tongban's own names):
/// a request signed with an SM2 key verifies with its public key, its signature base's signature verifies with the
/// OpenSSL command line under the GM/T 0009 ID, and a tampered one does not.
@Suite struct SM2ProfileTests {
    static let body = Data(#"{"resource":"1010010001","subjects":["110101198001010010"]}"#.utf8)

    static func request(_ signer: MessageSigner, digest: [ContentDigest.Algorithm]) throws -> HTTPMessageView {
        var view = HTTPMessageView.request(method: "POST", scheme: "https", authority: "province-31.tongban.invalid:7443", target: "/v1/query", fields: [
            ("Tongban-Request-Id", UUID().uuidString.lowercased()), ("Content-Type", "application/json"),
            ("Content-Digest", ContentDigest.field(for: body, algorithms: digest)),
        ])
        let signed = try signer.sign(view, covering: TongbanProfile.requestComponents(hasBody: true))
        view.fields += [("Signature-Input", signed.input), ("Signature", signed.signature)]
        return view
    }

    @Test func anSM2SignedRequestVerifiesAndNamesItsAlgorithm() throws {
        let key = try SM2PrivateKey()
        let signer = MessageSigner(key: try MessageSigningKey(pem: key.pemRepresentation), keyID: "sm2-test", label: TongbanProfile.label)
        #expect(signer.key.algorithm == .sm2SM3)
        let view = try Self.request(signer, digest: [.sm3])
        let verifier = MessageVerifier(label: TongbanProfile.label)
        let (input, signature) = try verifier.inspect(view, required: TongbanProfile.requestComponents(hasBody: true))
        #expect(input.algorithm == "sm2-sm3" && signature.count == 64)
        try verifier.verify(input, signature: signature, message: view, key: .sm2(key.publicKey))
        // Another SM2 key, and a P-256 key, do not verify it.
        #expect(throws: SignatureError.self) { try verifier.verify(input, signature: signature, message: view, key: .sm2(try SM2PrivateKey().publicKey)) }
        #expect(throws: SignatureError.self) {
            try verifier.verify(input, signature: signature, message: view, key: MessageSigningKey.p256(.init()).verificationKey)
        }
        // The sm3 digest matches the body, and not another.
        try ContentDigest.verify(try #require(view.field("Content-Digest")), body: Self.body)
        #expect(throws: SignatureError.self) { try ContentDigest.verify(try #require(view.field("Content-Digest")), body: Data("{}".utf8)) }
        #expect(view.field("Content-Digest")?.hasPrefix("sm3=:") == true)
    }

    /// The signature over the RFC 9421 signature base is an SM2 signature with SM3 and the ID `1234567812345678`,
    /// as `openssl pkeyutl` checks it.
    @Test func opensslVerifiesTheSignatureBase() throws {
        let directory = try TemporaryDirectory("tbsm2")
        defer { directory.remove() }
        let key = try SM2PrivateKey()
        let signer = MessageSigner(key: .sm2(key), keyID: "sm2-test", label: TongbanProfile.label)
        let view = try Self.request(signer, digest: [.sha256, .sm3])
        let (input, signature) = try MessageVerifier(label: TongbanProfile.label).inspect(view, required: TongbanProfile.requestComponents(hasBody: true))
        let base = try SignatureBase.make(input, message: view)
        try base.write(toFile: directory.file("base"), atomically: true, encoding: .utf8)
        try Data(try SM2.derSignature(fromRaw: signature)).write(to: URL(fileURLWithPath: directory.file("sig.der")))
        try key.publicKey.pemRepresentation.write(toFile: directory.file("pub.pem"), atomically: true, encoding: .utf8)
        func verify(_ id: String) throws -> (status: Int32, output: String) {
            try Spawn.capture("/usr/bin/openssl", ["pkeyutl", "-verify", "-rawin", "-digest", "sm3", "-pkeyopt", "distid:\(id)", "-pubin",
                                                   "-inkey", directory.file("pub.pem"), "-in", directory.file("base"), "-sigfile", directory.file("sig.der")])
        }
        let good = try verify("1234567812345678")
        #expect(good.status == 0 && good.output.contains("Signature Verified Successfully"), "\(good.output)")
        #expect(try verify("8765432187654321").status != 0)
    }
}
