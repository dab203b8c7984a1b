import Foundation
import Testing
import TongbanClient
import TongbanCore
import TongbanTestKit

/// A supervisor re-verifies an audit export from the docs alone: `Tests/Interop/verify_audit_export.py`, written
/// from docs/protocol.md ("The audit chain: what is hashed") with Python's standard library only, recomputes
/// every hash of what `tongbanctl audit export` writes for both sides of real exchanges, and names the entry
/// a one-byte edit broke.
@Suite(.serialized) struct AuditExportInteropTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let verifier = repository.appendingPathComponent("Tests/Interop/verify_audit_export.py").path
    /// The verifier needs no package: the interop venv's Python when it is there, else the system's.
    static let python = [repository.appendingPathComponent(".build/interop-venv/bin/python3").path, "/usr/bin/python3", "/usr/local/bin/python3"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Names that stress the hashed text: Chinese and an emoji (raw UTF-8), a quote and a backslash (escaped),
    /// a slash (not escaped), a tab and U+0001 (control characters: a short escape and `\u0001`).
    static let awkward = Requester(departmentCode: "11010500", departmentName: "朝阳区\"公安\"分局\\户政/科\t\u{01}😀", operatorId: "op-\"7\"\\x")

    /// `tongbanctl audit export` as an operator runs it; its standard output only, the file a supervisor gets.
    static func export(_ socket: String) throws -> (status: Int32, output: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltProducts.tongbanctl)
        process.arguments = ["audit", "export", "--socket", socket]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data)
    }

    /// Runs the verifier on `lines` written as a JSON Lines file.
    static func verify(_ lines: [String], at path: String) throws -> (status: Int32, output: String) {
        let python = try #require(Self.python, "no python3 for Tests/Interop/verify_audit_export.py")
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: path))
        return try Spawn.capture(python, [verifier, path])
    }

    @Test func pythonWrittenFromTheDocsVerifiesBothSidesExportsAndNamesTheEditedEntry() async throws {
        let f = try await ExchangeTests.Federation.start()
        func query(_ resource: String, _ matter: String) async throws -> OutboundResult {
            let body = QueryRequest(resource: resource, matter: matter, requester: Self.awkward, subjects: [ExchangeTests.person])
            return try await f.bj.post("/v1/outbound/query?peer=31", body: try JSONCoding.encoder().encode(body), as: OutboundResult.self)
        }
        // Allowed and refused with the awkward names, a plain query, and a verify: four entries on each side.
        let allowed = try await query(TestCatalogue.household, "medical-registration")
        #expect(allowed.status == 200, "\(allowed.answer)")
        let refused = try await query(TestCatalogue.marriage, "marriage-registration")
        #expect(refused.status == 403 && ExchangeTests.code(refused) == "tongban.policy.not-shared", "\(refused.answer)")
        let plain = try await f.query(TestCatalogue.household, "medical-registration", [ExchangeTests.person])
        #expect(plain.status == 200, "\(plain.answer)")
        let claims = VerifyRequest(resource: TestCatalogue.household, matter: "medical-registration", requester: Self.awkward,
                                   subject: ExchangeTests.person, claims: ["name": "王小明", "birthDate": "1980-05-13"])
        let verified = try await f.bj.post("/v1/outbound/verify?peer=31", body: try JSONCoding.encoder().encode(claims), as: OutboundResult.self)
        #expect(verified.status == 200, "\(verified.answer)")

        var exports: [String: [String]] = [:]
        var sequences: [String: [String: Int]] = [:]
        for side in ["11", "31"] {
            let socket = f.federation[side].adminSocket
            let entries = try await AdminClient(socketPath: socket).get("/v1/audit", as: [AuditEntry].self)
            #expect(entries.count == 4)
            sequences[side] = Dictionary(entries.map { ($0.requestId, $0.sequence) }, uniquingKeysWith: { first, _ in first })
            let intact = try Spawn.capture(BuiltProducts.tongbanctl, ["audit", "verify", "--socket", socket])
            #expect(intact.status == 0 && intact.output.contains("audit chain intact: 4 entries"), "\(intact.output)")

            let (status, output) = try Self.export(socket)
            #expect(status == 0)
            let lines = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
            try #require(lines.count == entries.count)
            #expect(lines.contains { $0.contains("朝阳区") && $0.contains(#"\"公安\""#) }, "the awkward names are not in the export of \(side)")
            let result = try Self.verify(lines, at: f.federation.directory.file("audit-\(side).jsonl"))
            #expect(result.status == 0 && result.output.contains("4 entries verified"), "\(side): \(result.output)")
            exports[side] = lines
        }

        // One edit in one entry, and the verifier names that entry: the requester's name of the refusal on the
        // asking side, the latency of the plain query on the answering side, and a deleted entry there.
        var lines = try #require(exports["11"])
        let refusal = try #require(sequences["11"]?[refused.requestId])
        try #require(lines[refusal - 1].contains("朝阳区"))
        lines[refusal - 1] = lines[refusal - 1].replacingOccurrences(of: "朝阳区", with: "海淀区")
        var result = try Self.verify(lines, at: f.federation.directory.file("edited-11.jsonl"))
        #expect(result.status == 1 && result.output.contains("broken at entry \(refusal):"), "\(result.output)")

        lines = try #require(exports["31"])
        let slow = try #require(sequences["31"]?[plain.requestId])
        let latency = try #require(lines[slow - 1].range(of: "\"latencyMilliseconds\":"))
        lines[slow - 1].insert("1", at: latency.upperBound)
        result = try Self.verify(lines, at: f.federation.directory.file("edited-31.jsonl"))
        #expect(result.status == 1 && result.output.contains("broken at entry \(slow):"), "\(result.output)")

        lines = try #require(exports["31"])
        let gone = try #require(sequences["31"]?[refused.requestId])
        lines.remove(at: gone - 1)
        result = try Self.verify(lines, at: f.federation.directory.file("deleted-31.jsonl"))
        #expect(result.status == 1 && result.output.contains("broken at entry \(gone):"), "\(result.output)")

        await f.stop()
        f.federation.remove()
    }
}
