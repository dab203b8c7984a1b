import Foundation
import Testing
import TongbanCore

/// The table of problem codes: one declaration per code, the status it renders with, and docs/protocol.md
/// saying the same.
@Suite struct ProblemCodeTests {
    @Test func everyCodeIsDeclaredOnceAndFoundByItsText() {
        let texts = TongbanError.Code.all.map(\.rawValue)
        #expect(Set(texts).count == texts.count, "a code is declared twice")
        for code in TongbanError.Code.all {
            #expect(TongbanError.Code(rawValue: code.rawValue) == code)
            #expect(code.rawValue.hasPrefix("tongban.") && (400...599).contains(code.status), "\(code)")
        }
        #expect(TongbanError.Code(rawValue: "tongban.made-up.by-a-peer") == nil)
        // Only the gateway's own failure is a 500: no refusal renders as one.
        #expect(TongbanError.Code.all.filter { $0.status == 500 }.map(\.rawValue) == ["tongban.internal"])
    }

    @Test func aProblemTakesItsStatusFromTheCode() {
        let refusal = Problem(TongbanError(.signatureInvalid, "key abc is not the signing key of province 31"), requestId: "r-1")
        #expect(refusal.status == 401 && refusal.code == "tongban.signature.invalid" && refusal.title == "Unauthorized")
        #expect(refusal.detail == "key abc is not the signing key of province 31")
        let decision = PolicyDecision.deny(.policyNoGrant, "no grant")
        #expect(decision.status == 403 && decision.refusal.status == 403 && decision.refusal.code == "tongban.policy.no-grant")
    }

    /// A store error names a file and the SQLite message: the caller sees a fixed detail, never either.
    @Test(arguments: [TongbanError.Code.storeUnavailable, .internalError, .auditUnavailable])
    func internalFailuresDiscloseNothing(_ code: TongbanError.Code) {
        let error = TongbanError(code, "SQLite error 8: attempt to write a readonly database - /var/lib/tongban/tongban.sqlite")
        let problem = Problem(error, requestId: "r-2")
        #expect(problem.detail == Problem.undisclosed)
        #expect(problem.requestId == "r-2")
        #expect(!(problem.detail ?? "").contains("sqlite") && !(problem.detail ?? "").contains("SQLite"))
    }

    /// docs/protocol.md's codes table lists exactly the declared codes, each with its status.
    @Test func theDocumentedTableIsTheDeclaredOne() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/protocol.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        guard let start = text.range(of: "| Code | Status | Meaning |") else {
            Issue.record("docs/protocol.md has no codes table")
            return
        }
        var documented: [String: Int] = [:]
        for line in text[start.upperBound...].split(separator: "\n").dropFirst() {
            guard line.hasPrefix("| `") else { break }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2 else { continue }
            documented[cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] = Int(cells[1])
        }
        let declared = Dictionary(uniqueKeysWithValues: TongbanError.Code.all.map { ($0.rawValue, $0.status) })
        #expect(documented == declared)
    }
}
