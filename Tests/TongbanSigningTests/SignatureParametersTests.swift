import Foundation
import RawStructuredFieldValues
import Testing
@testable import TongbanSigning

/// The parameters a signature's input and its components carry are read once when parsed: they must come back
/// exactly as written, whatever their order, and a component covered twice is refused.
@Suite struct SignatureParametersTests {
    static func parsed(_ inputField: String) throws -> SignatureInput {
        let message = HTTPMessageView.request(method: "GET", scheme: "https", authority: "example.org", target: "/?a=1&b=2",
                                              fields: [("Signature-Input", inputField), ("Signature", "sig=:AAAA:")])
        return try SignatureFields.read(label: "sig", from: message).0
    }

    @Test func inputParametersComeBackAsWritten() throws {
        let input = try Self.parsed(#"sig=("@method" "signature";req;key="tongban" "@query-param";name="b");tag="t";alg="ed25519";nonce="n1";keyid="k";expires=1700000300;created=1700000000"#)
        #expect(input.created == 1_700_000_000)
        #expect(input.expires == 1_700_000_300)
        #expect(input.keyID == "k")
        #expect(input.algorithm == "ed25519")
        #expect(input.nonce == "n1")
        #expect(input.tag == "t")
        #expect(input.components.map(\.name) == ["@method", "signature", "@query-param"])
        #expect(input.components.map(\.fromRequest) == [false, true, false])
        #expect(input.components.map(\.key) == [nil, "tongban", nil])
        #expect(input.components.map(\.queryName) == [nil, nil, "b"])
        // A parameter of the wrong type is absent, as before it was read on demand.
        let odd = try Self.parsed(#"sig=("@method";req=?0);created="1700000000";keyid=7"#)
        #expect(odd.created == nil && odd.keyID == nil)
        #expect(odd.components[0].fromRequest == false)
        // Built rather than parsed: the same values.
        let built = SignatureInput(components: [ComponentIdentifier("Signature", req: true, key: "tongban"), ComponentIdentifier("@query-param", queryName: "a")],
                                   created: 5, keyID: "k", algorithm: "ecdsa-p256-sha256", expires: 9, nonce: "n", tag: "t")
        #expect((built.created, built.expires, built.keyID, built.algorithm, built.nonce, built.tag) == (5, 9, "k", "ecdsa-p256-sha256", "n", "t"))
        #expect(built.components[0].name == "signature" && built.components[0].fromRequest && built.components[0].key == "tongban")
        #expect(try Self.parsed("sig=" + built.serialized).components == built.components)
    }

    /// `serialized` is written from the components' own serialisations; it must be what swift-http-structured-headers
    /// writes for the whole inner list, built or parsed, canonical whatever the spacing it was parsed from.
    @Test func serialisedAsTheLibraryWritesTheInnerList() throws {
        func library(_ input: SignatureInput) throws -> String {
            var serializer = StructuredFieldValueSerializer()
            return String(decoding: try serializer.writeListFieldValue([.innerList(input.innerList)]), as: UTF8.self)
        }
        let built = SignatureInput(components: [ComponentIdentifier("@method"), ComponentIdentifier("Signature", req: true, key: "tongban"),
                                                ComponentIdentifier("@query-param", queryName: #"a "b" \c"#)],
                                   created: -5, keyID: #"k "quoted" \ back"#, algorithm: "ecdsa-p256-sha256", expires: 999_999_999_999_999,
                                   nonce: "", tag: "t")
        #expect(try built.serialized == library(built))
        #expect(built.serialized.hasPrefix(#"("@method" "signature";req;key="tongban" "@query-param";name="a \"b\" \\c");created=-5;"#))
        let parsed = try Self.parsed("sig=" + built.serialized)
        #expect(try parsed.serialized == library(parsed) && parsed.serialized == built.serialized)
        let spaced = try Self.parsed(#"sig=(  "@method"   "@path" );created=1;x=?0;y;z=tok"#)
        #expect(spaced.serialized == #"("@method" "@path");created=1;x=?0;y;z=tok"#)
        #expect(try spaced.serialized == library(spaced))
        #expect(SignatureInput(components: [], created: nil, keyID: nil, algorithm: nil).serialized == "()")
        // A value the fast writer leaves to the library (a decimal parameter) still comes out as the library writes it.
        let decimal = try Self.parsed(#"sig=("@method");created=1;q=1.5"#)
        #expect(try decimal.serialized == library(decimal) && decimal.serialized == #"("@method");created=1;q=1.5"#)
    }

    @Test(arguments: [3, 40])
    func aComponentCoveredTwiceIsRefused(_ count: Int) throws {
        let fields = (0..<count).map { (name: "x-field-\($0)", value: "v\($0)") }
        let message = HTTPMessageView.request(method: "GET", scheme: "https", authority: "example.org", target: "/", fields: fields)
        let distinct = fields.map { ComponentIdentifier($0.name) }
        #expect(try SignatureBase.make(SignatureInput(components: distinct, created: 1, keyID: "k", algorithm: "ed25519"), message: message)
                    .split(separator: "\n").count == count + 1)
        for duplicate in [distinct + [distinct[0]], [distinct[count - 1]] + distinct] {
            #expect { try SignatureBase.make(SignatureInput(components: duplicate, created: 1, keyID: "k", algorithm: "ed25519"), message: message) }
                throws: { ($0 as? SignatureError)?.kind == .invalid }
        }
    }
}
