import Crypto
import Foundation
import Testing
import TongbanCore
@testable import TongbanSigning

/// The readers that skip the structured-field parser for the fields a signer writes (`SignatureFields.readCanonical`,
/// `ContentDigest.matchesCanonical`): what they take, the parser takes to the same result, and they take what a
/// signer writes. The fuzz targets `canonical` and `digest` hold them to the same properties on many more inputs.
@Suite struct CanonicalReaderTests {
    static let label = TongbanProfile.label

    /// Signature fields as Tongban's signers write them: requests with and without a body, answers bound and not.
    static func signedPairs() throws -> [(input: String, signature: String)] {
        var pairs: [(String, String)] = []
        for key in [MessageSigningKey.p256(P256.Signing.PrivateKey()), .ed25519(Curve25519.Signing.PrivateKey())] {
            let signer = MessageSigner(key: key, keyID: "11-sign-2026", label: label)
            for body in [true, false] {
                let signed = try signer.sign(MessageVerifierTests.request(body: body), covering: TongbanProfile.requestComponents(hasBody: body))
                pairs.append((signed.input, signed.signature))
            }
            var request = MessageVerifierTests.request(body: true)
            let signed = try signer.sign(request, covering: TongbanProfile.requestComponents(hasBody: true))
            request.fields += [("Signature-Input", signed.input), ("Signature", signed.signature)]
            let response = HTTPMessageView.response(status: 200, fields: [
                ("Content-Type", "application/json"), ("Content-Digest", ContentDigest.field(for: Data("[]".utf8))),
                ("Tongban-Request-Id", "0b9e6f1c-8a51-4f0e-9a43-3b2b2f8a1e00"),
            ])
            for bound in [true, false] {
                let answer = try signer.sign(response, request: bound ? request : nil, covering: TongbanProfile.responseComponents(bindingRequest: bound))
                pairs.append((answer.input, answer.signature))
            }
        }
        return pairs
    }

    static func same(_ a: (SignatureInput, [UInt8]), _ b: (SignatureInput, [UInt8])) -> Bool {
        a.0.serialized == b.0.serialized && a.0.components.map(\.serialized) == b.0.components.map(\.serialized)
            && a.0.created == b.0.created && a.0.expires == b.0.expires && a.0.keyID == b.0.keyID && a.0.algorithm == b.0.algorithm
            && a.0.nonce == b.0.nonce && a.0.tag == b.0.tag && a.1 == b.1
    }

    @Test func aSignersFieldsAreReadWithoutTheParserToTheParsersResult() throws {
        for (input, signature) in try Self.signedPairs() {
            let fast = try #require(SignatureFields.readCanonical(label: Self.label, input: input, signature: signature), "\(input)")
            let parsed = try SignatureFields.readParsed(label: Self.label, input: input, signature: signature)
            #expect(Self.same(fast, parsed), "\(input)")
        }
        // Parameters the profile does not write, in canonical form, are read too; a component with `key` too.
        let input = #"tongban=("@method" "signature";req;key="tongban" "x-extra");created=1700000000;expires=1700000300;keyid="k";nonce="n";alg="ed25519";tag="t""#
        let signature = "tongban=:" + Data(repeating: 7, count: 64).base64EncodedString() + ":"
        let fast = try #require(SignatureFields.readCanonical(label: Self.label, input: input, signature: signature))
        #expect(Self.same(fast, try SignatureFields.readParsed(label: Self.label, input: input, signature: signature)))
        #expect(fast.0.components.map(\.serialized) == [#""@method""#, #""signature";req;key="tongban""#, #""x-extra""#])
        #expect(fast.0.expires == 1_700_000_300 && fast.0.tag == "t" && fast.1 == Array(repeating: 7, count: 64))
    }

    /// Text the parser reads otherwise, or not at all, is left to it.
    @Test(arguments: [
        #"tongban=("@method");created=1;created=2"#, #"tongban=("@method" );created=1"#, #"tongban=( "@method");created=1"#,
        #"tongban=("@method");created=01"#, #"tongban=("@method");created=-0"#, #"tongban=("@method");unknown=1"#,
        #"tongban=("@method");created=1;"#, #"tongban=("@method");;created=1"#, #"tongban=("@method")x;created=1"#,
        #"tongban=("@METHOD");created=1"#, #"tongban=("@method";req;req);created=1"#, #"tongban=("@method";key=x);created=1"#,
        #"tongban=("a\"b");created=1"#, #"tongban=("@method");keyid=k"#, #"tongban=("@method");created=1234567890123456"#,
        #"other=("@method");created=1"#, #"tongban=("@method");created=1, x=()"#, #"tongban="#, "",
    ])
    func unusualInputsAreLeftToTheParser(_ input: String) {
        let signature = "tongban=:" + Data(repeating: 1, count: 64).base64EncodedString() + ":"
        #expect(SignatureFields.readCanonical(label: Self.label, input: input, signature: signature) == nil)
    }

    /// Thousands of mutations of signed fields: whenever the fast reader reads them, the parser reads them the same.
    @Test func mutatedSignatureFieldsNeverDisagree() throws {
        let pairs = try Self.signedPairs()
        var random = SeededGenerator(seed: 9421)
        let alphabet = Array(" ;=()\":-0123456789aAzZ/+_@\\".utf8) + [0x7f, 0xc3]
        var readFast = 0
        for round in 0..<6_000 {
            let pair = pairs[round % pairs.count]
            var fields = [Array(pair.input.utf8), Array(pair.signature.utf8)]
            random.mutate(&fields[Int(random.next() % 2)], alphabet: alphabet)
            let (input, signature) = (String(decoding: fields[0], as: UTF8.self), String(decoding: fields[1], as: UTF8.self))
            guard let fast = SignatureFields.readCanonical(label: Self.label, input: input, signature: signature) else { continue }
            readFast += 1
            let parsed = try? SignatureFields.readParsed(label: Self.label, input: input, signature: signature)
            #expect(parsed.map { Self.same(fast, $0) } == true, "\(input) / \(signature)")
        }
        #expect(readFast > 500)  // the mutations reach the fast reader's acceptance, not only its refusals
    }

    /// The digest field as a signer writes it is checked without the parser; mutations of it get the parser's answer.
    @Test func digestFieldsGetTheParsersAnswer() throws {
        let body = Data(#"{"resource":"11-hukou","subjects":["110101199003077777"]}"#.utf8)
        for algorithm in ContentDigest.Algorithm.allCases {
            let field = ContentDigest.field(for: body, algorithms: [algorithm])
            #expect(ContentDigest.matchesCanonical(field, body: body), "\(field)")
            #expect(!ContentDigest.matchesCanonical(field, body: Data("tampered".utf8)))
        }
        var random = SeededGenerator(seed: 9530)
        let seeds = ContentDigest.Algorithm.allCases.map { ContentDigest.field(for: body, algorithms: [$0]) }
        let alphabet = Array(" ,;=:-0123456789aAsSzZ/+=".utf8)
        var matched = 0
        for round in 0..<6_000 {
            var bytes = Array(seeds[round % seeds.count].utf8)
            random.mutate(&bytes, alphabet: alphabet, edits: 1...2)
            let field = String(decoding: bytes, as: UTF8.self)
            let parsed = (try? ContentDigest.verifyParsed(field, body: body)) != nil
            if ContentDigest.matchesCanonical(field, body: body) {
                matched += 1
                #expect(parsed, "\(field)")
            }
            #expect(((try? ContentDigest.verify(field, body: body)) != nil) == parsed, "\(field)")
        }
        #expect(matched > 0)
    }
}
