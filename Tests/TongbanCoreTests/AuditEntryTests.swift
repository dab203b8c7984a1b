import Foundation
import Testing
@testable import TongbanCore

/// The audit chain hashes `chainedContent`; its hand-written JSON must stay byte-identical to what
/// `JSONEncoder` writes, or logs written before and after would no longer verify against each other.
@Suite struct AuditEntryTests {
    static func reference(_ entry: AuditEntry) throws -> String {
        var copy = entry
        copy.hash = ""
        return String(decoding: try JSONCoding.encoder().encode(copy), as: UTF8.self)
    }

    static let awkward = "引号\"反斜杠\\ /斜杠 \u{08}\u{0C}\n\r\t\u{01}\u{1F}\u{7F} é 😀 \u{2028}"

    @Test(arguments: [0.0, 1, 12.5, 0.1 + 0.2, 1e-7, 1e16, 123456789.123, -0.0, 3.0])
    func equalsTheEncoderForEveryKindOfValue(_ latency: Double) throws {
        let entry = AuditEntry(
            sequence: 42, time: Date(timeIntervalSince1970: 1_790_000_000.75), direction: .outbound, requestId: "b1c0a3f0-7f62-4b59-9d3a-2a3c2f4e5d6a",
            peer: "31", endpoint: "query", departmentCode: "110105PSB", departmentName: Self.awkward, operatorId: "op/1",
            matter: "household-transfer", resource: "1010010001", subjectCount: 1000, subjectDigest: String(repeating: "f", count: 64),
            fields: ["name", Self.awkward, ""], decision: "deny", reasonCode: "tongban.policy.no-grant", status: 403,
            requestSignature: #"tongban=("@method" "@authority");created=1;keyid="k" tongban=:AbC+/=:"#, responseSignature: "",
            bytes: 0, latencyMilliseconds: latency, previousHash: String(repeating: "0", count: 64), hash: "not covered")
        #expect(entry.chainedContent == (try Self.reference(entry)))
    }

    @Test func emptyListsAndInboundEntriesToo() throws {
        let entry = AuditEntry(direction: .inbound, requestId: "", peer: "", endpoint: "verify", departmentCode: "", departmentName: "",
                               operatorId: "", matter: "", resource: "", subjectCount: 0, subjectDigest: "", fields: [], decision: "allow",
                               reasonCode: "", status: 200, requestSignature: "", responseSignature: "", bytes: 12, latencyMilliseconds: 0.25)
        #expect(entry.chainedContent == (try Self.reference(entry)))
    }

    /// A case reference is chained when present, in its sorted place, and absent otherwise: older entries keep their hash.
    @Test func aCaseReferenceIsChainedOnlyWhenPresent() throws {
        var entry = AuditEntry(direction: .outbound, requestId: "r", peer: "31", endpoint: "query", departmentCode: "d", departmentName: "n",
                               operatorId: "o", matter: "household-transfer", resource: "1010010001", subjectCount: 1, subjectDigest: "s",
                               fields: [], decision: "allow", reasonCode: "", status: 200, requestSignature: "", responseSignature: "", bytes: 3,
                               latencyMilliseconds: 1, hashAlgorithm: "sm3")
        let without = entry.chainedContent
        let reference = try Self.reference(entry)
        #expect(!without.contains("caseReference") && without == reference)
        entry.caseReference = "京办〔2026〕第0001号 \"A\""
        #expect(entry.chainedContent == (try Self.reference(entry)))
        #expect(entry.chainedContent.hasPrefix(#"{"bytes":3,"caseReference":"京办〔2026〕第0001号 \"A\"","decision""#))
    }
}
