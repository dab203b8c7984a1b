import Crypto
import Foundation
import RawStructuredFieldValues
import Testing
import TongbanCore
@testable import TongbanSigning

/// The fast dictionary reader and swift-http-structured-headers give the same answer wherever the fast one
/// answers, and it declines (leaving the field to the library) for everything outside its part of RFC 9651.
@Suite struct StructuredDictionaryTests {
    static let corpus: [String] = [
        #"tongban=("@method" "@path" "content-digest" "signature";req;key="tongban");created=1732700000;keyid="11-sign";alg="ecdsa-p256-sha256";nonce="b7c1""#,
        #"sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd""#,
        "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:, sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:",
        "tongban=:MEUCIQDx1n4=:",
        "  a=1 ,\tb=2;x=?0;y=tok/en:x, c, d;p=-15   ",
        "a=(1 2 3);q=\"x\", b=(), c=?1, d=*tok, e=(\"a\" :AA==: ?0 -7;n=1)",
        "a=999999999999999, b=-999999999999999",
        "k=(\"\" \"~!#$%&'*+-.^_`|\");p=\"\"",
        "*star=1, a.b_c-d*=2",
        "",
        "   ",
        "a;b;c=?1",
    ]

    /// Outside the fast part: the library decides (these parse there, or fail there).
    static let declined: [String] = [
        "a=1.5", "a=\"es\\\"caped\"", "a=@1659578233", "a=%\"f%c3%bc\"", "a=1, a=2", "a=1;p=1;p=2",
        "a=1234567890123456", "a=1,", "A=1", "a=(1 2", "a=\"open", "a=:AA=", "a=(1,2)", "a==", "a=1 b=2", "a=-",
        "a=\u{7f}", "a=\"caf\u{e9}\"", ",a=1", "a=?2", "a=:A*A:",
    ]

    func libraryAnswer(_ field: String) -> [(String, ItemOrInnerList)]? {
        var parser = StructuredFieldValueParser(Array(field.utf8))
        return (try? parser.parseDictionaryFieldValue()).map { Array($0) }
    }

    func fastAnswer(_ field: String) -> [(String, ItemOrInnerList)]? {
        var field = field
        return field.withUTF8 { FastDictionaryParser.dictionary(in: $0) }.map { Array($0) }
    }

    func same(_ a: [(String, ItemOrInnerList)]?, _ b: [(String, ItemOrInnerList)]?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case (let a?, let b?): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// The library's serialisation of one member, or nil where it refuses.
    func librarySerialisation(_ member: ItemOrInnerList) -> String? {
        var serializer = StructuredFieldValueSerializer()
        return (try? serializer.writeListFieldValue([member])).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `StructuredFieldText` writes what the library writes, wherever it writes anything.
    func serialisesLikeTheLibrary(_ members: [(String, ItemOrInnerList)]) -> Bool {
        members.allSatisfy { _, member in
            let text: String? = switch member {
            case .item(let item): StructuredFieldText.item(item)
            case .innerList(let list): StructuredFieldText.innerList(list)
            }
            return text == nil || text == librarySerialisation(member)
        }
    }

    @Test(arguments: corpus)
    func fastAnswersAndAgreesWithTheLibrary(_ field: String) throws {
        let fast = try #require(fastAnswer(field), "the fast reader declined \(field)")
        #expect(same(fast, libraryAnswer(field)))
        #expect(same((try? StructuredDictionary.parse(field)).map { Array($0) }, libraryAnswer(field)))
        #expect(serialisesLikeTheLibrary(fast))
        // Every member of the corpus is in the part the fast writer covers.
        for (_, member) in fast {
            if case .innerList(let list) = member { #expect(StructuredFieldText.innerList(list) != nil) }
            if case .item(let item) = member { #expect(StructuredFieldText.item(item) != nil) }
        }
    }

    /// Values the fast writer leaves to the library: a decimal, a date, a display string, an invalid token or key.
    @Test func fastWriterDeclinesWhatItDoesNotCover() {
        typealias Bare = RFC9651BareItem
        let none = OrderedMap<String, Bare>()
        let declined: [Item] = [Item(bareItem: Bare.decimal(PseudoDecimal(mantissa: 15, exponent: -1)), parameters: none),
                                Item(bareItem: Bare.date(1_659_578_233), parameters: none), Item(bareItem: Bare.displayString("für"), parameters: none),
                                Item(bareItem: Bare.token("1abc"), parameters: none), Item(bareItem: Bare.string("é"), parameters: none),
                                Item(bareItem: Bare.integer(1_000_000_000_000_000), parameters: none),
                                Item(bareItem: Bare.integer(1), parameters: ["Key": Bare.integer(1)])]
        for item in declined { #expect(StructuredFieldText.item(item) == nil, "\(item)") }
        let escaped = Item(bareItem: Bare.string(#"a "quoted" \ b"#), parameters: ["p": Bare.bool(true), "q": Bare.bool(false)])
        #expect(StructuredFieldText.item(escaped) == librarySerialisation(.item(escaped)))
        #expect(StructuredFieldText.item(escaped) == #""a \"quoted\" \\ b";p;q=?0"#)
    }

    @Test(arguments: declined)
    func fastDeclinesAndTheLibraryDecides(_ field: String) {
        #expect(fastAnswer(field) == nil)
        #expect(same((try? StructuredDictionary.parse(field)).map { Array($0) }, libraryAnswer(field)))
    }

    /// Real signed fields, then thousands of mutations of the corpus (bytes changed, inserted, removed): wherever
    /// the fast reader answers, the library answers the same, and `parse` always matches the library.
    @Test func mutatedFieldsNeverDisagree() throws {
        let signer = MessageSigner(key: .p256(P256.Signing.PrivateKey()), keyID: "11-sign", label: TongbanProfile.label)
        var request = MessageVerifierTests.request(body: true)
        let signed = try signer.sign(request, covering: TongbanProfile.requestComponents(hasBody: true))
        request.fields += [("Signature-Input", signed.input), ("Signature", signed.signature)]
        let real = [signed.input, signed.signature, try #require(request.field("Content-Digest"))]
        for field in real { #expect(fastAnswer(field) != nil && same(fastAnswer(field), libraryAnswer(field))) }

        var random = SeededGenerator(seed: 9651)
        let alphabet = Array(" \t,;=()\":?*-.0123456789aAzZ/+_@%\\".utf8) + [0x7f, 0xc3]
        var answeredByFast = 0
        for round in 0..<6_000 {
            let seed = (Self.corpus + real)[round % (Self.corpus.count + real.count)]
            var bytes = Array(seed.utf8)
            random.mutate(&bytes, alphabet: alphabet)
            let field = String(decoding: bytes, as: UTF8.self)
            let fast = fastAnswer(field), library = libraryAnswer(field)
            if let fast {
                answeredByFast += 1
                #expect(same(fast, library), "\(field)")
                #expect(serialisesLikeTheLibrary(fast), "\(field)")
            }
            if let library { #expect(serialisesLikeTheLibrary(library), "\(field)") }
            #expect(same((try? StructuredDictionary.parse(field)).map { Array($0) }, library), "\(field)")
        }
        #expect(answeredByFast > 1_000)  // the mutations exercise the fast reader, not only the fallback
    }
}
