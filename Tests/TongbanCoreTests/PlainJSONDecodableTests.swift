import Foundation
import Testing
@testable import TongbanCore

/// The request bodies' fast path (`PlainJSONDecodable`) held to `JSONDecoder`: whenever it answers, it answers
/// what `JSONDecoder` decodes; it answers for the plain documents peers send; and it steps aside for the rest.
@Suite struct PlainJSONDecodableTests {
    static let query = #"{"resource":"1010010001","matter":"household-transfer","requester":{"departmentCode":"310105PSB","departmentName":"上海市公安局","operatorId":"op-7"},"subjects":["110101199003074514","11010119900307453X"],"fields":["name","address"]}"#
    static let verify = #"{"resource":"1010010001","matter":"degree-check","requester":{"departmentCode":"310105EDU","departmentName":"上海市教育局","operatorId":"op-1"},"subject":"110101199003074514","claims":{"degree":"学士","name":"王小明"}}"#

    /// Documents the fast path must answer, and answer right.
    static let plain = [
        query,
        #"{"resource":"r","matter":"m","requester":{"departmentCode":"d","departmentName":"n","operatorId":"o"},"subjects":[]}"#,
        #" { "fields" : null , "subjects" : [ "a\"b\\c\u00e9\ud83d\ude00\/" ] , "resource":"r","matter":"m","requester":{"operatorId":"o","departmentName":"n","departmentCode":"d"} } "#,
        verify,
        #"{"resource":"r","matter":"m","requester":{"departmentCode":"d","departmentName":"n","operatorId":"o"},"subject":"s","claims":{}}"#,
    ]

    /// Documents it must leave to `JSONDecoder`: unknown or repeated keys, other types, not JSON, not UTF-8.
    static let other: [[UInt8]] = [
        #"{"resource":"r","matter":"m","requester":{"departmentCode":"d","departmentName":"n","operatorId":"o"},"subjects":[],"extra":1}"#,
        #"{"resource":"r","resource":"s","matter":"m","requester":{"departmentCode":"d","departmentName":"n","operatorId":"o"},"subjects":[]}"#,
        #"{"resource":1,"matter":"m","requester":{"departmentCode":"d","departmentName":"n","operatorId":"o"},"subjects":[]}"#,
        #"{"resource":"r","matter":"m","requester":{"departmentCode":"d","departmentName":"n","operatorId":"o"},"subjects":["a",null]}"#,
        #"{"resource":"r","matter":"m","requester":{"departmentCode":"d","departmentName":"n","operatorId":"o"},"subjects":[],"fields":"name"}"#,
        #"{"resource":"r","matter":"m","requester":{"departmentCode":"d","departmentName":"n"},"subjects":[]}"#,
        #"{"resource":"r","matter":"m","requester":{"departmentCode":"d","departmentName":"n","operatorId":"o"},"subjects":[]} x"#,
        #"[]"#, "", #"{"resource":"\ud800","matter":"m"}"#,
    ].map { Array($0.utf8) } + [Array(#"{"resource":""#.utf8) + [0xC3, 0x28] + Array(#"","matter":"m","requester":{"departmentCode":"d","departmentName":"n","operatorId":"o"},"subjects":[]}"#.utf8)]

    func fast<T: PlainJSONDecodable>(_ bytes: [UInt8], as type: T.Type) -> T? {
        bytes.withUnsafeBytes { JSONValue.parseUnambiguous($0) }.flatMap(T.init(plainJSON:))
    }

    func slow<T: Decodable>(_ bytes: [UInt8], as type: T.Type) -> T? {
        try? JSONCoding.decoder().decode(T.self, from: Data(bytes))
    }

    @Test func plainDocumentsAreAnsweredAsJSONDecoderAnswers() {
        for document in Self.plain {
            let bytes = Array(document.utf8)
            let query = fast(bytes, as: QueryRequest.self), verify = fast(bytes, as: VerifyRequest.self)
            #expect(query != nil || verify != nil, "fast path declined \(document)")
            #expect(query == slow(bytes, as: QueryRequest.self) || query == nil)
            #expect(verify == slow(bytes, as: VerifyRequest.self) || verify == nil)
        }
        #expect(fast(Array(Self.query.utf8), as: QueryRequest.self)?.subjects == ["110101199003074514", "11010119900307453X"])
        #expect(fast(Array(Self.verify.utf8), as: VerifyRequest.self)?.claims == ["degree": "学士", "name": "王小明"])
    }

    @Test func everythingElseIsLeftToJSONDecoder() {
        for bytes in Self.other {
            #expect(fast(bytes, as: QueryRequest.self) == nil, "\(String(decoding: bytes, as: UTF8.self))")
            #expect(fast(bytes, as: VerifyRequest.self) == nil)
        }
    }

    /// 6,000 seeded byte mutations of the plain documents: whenever the fast path answers, `JSONDecoder` decodes
    /// the same value. A failure names the seed round to replay.
    @Test func mutatedDocumentsNeverDisagreeWithJSONDecoder() {
        var random = SeededGenerator(seed: 8259)
        let alphabet = Array(#" {}[]:,"\\/nu0123456789.eE+-tfalsr"#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xA9, 0xE4]
        var answered = 0
        for round in 0..<6_000 {
            var bytes = Array(Self.plain[round % Self.plain.count].utf8)
            random.mutate(&bytes, alphabet: alphabet)
            if let query = fast(bytes, as: QueryRequest.self) {
                answered += 1
                #expect(query == slow(bytes, as: QueryRequest.self), "round \(round): \(String(decoding: bytes, as: UTF8.self))")
            }
            if let verify = fast(bytes, as: VerifyRequest.self) {
                answered += 1
                #expect(verify == slow(bytes, as: VerifyRequest.self), "round \(round): \(String(decoding: bytes, as: UTF8.self))")
            }
        }
        // Mutations inside string values keep documents plain; enough of them that the comparison means something.
        #expect(answered > 300, "only \(answered) mutated documents took the fast path")
    }
}
