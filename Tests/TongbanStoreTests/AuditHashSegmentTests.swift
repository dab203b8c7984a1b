import Crypto
import Foundation
import GRDB
import Testing
import TongbanCore
import TongbanGM
import TongbanTestKit
@testable import TongbanStore

/// `audit.hash: sm3`: entries are hashed with SM3 and record it, so a switch in the middle of a chain starts a new
/// segment that `audit verify` checks with its own algorithm; the SM3 hashes agree with `openssl dgst -sm3`, an
/// independent implementation, and a changed SM3 entry breaks the chain like any other.
@Suite struct AuditHashSegmentTests {
    /// The subject digest is the HMAC of the sorted subjects joined by newlines, whichever order they came in and
    /// whichever algorithm; the SHA-256 one is fed subject by subject, checked here against the joined text.
    @Test func theSubjectDigestIsTheHMACOfTheSortedSubjectsJoined() {
        let secret = SymmetricKey(size: .bits256)
        let subjects = ["44052418800101001X", "11010519491231002X", "310101198001010011", "11010519491231002Y"]
        let joined = Data(subjects.sorted().joined(separator: "\n").utf8)
        let expected = Data(HMAC<SHA256>.authenticationCode(for: joined, using: secret)).map { String(format: "%02x", $0) }.joined()
        #expect(AuditChain.subjectDigest(subjects, secret: secret) == expected)
        #expect(AuditChain.subjectDigest(subjects.sorted(), secret: secret) == expected)
        #expect(AuditChain.subjectDigest(subjects.reversed(), secret: secret, algorithm: .sm3)
                == AuditChain.subjectDigest(subjects.sorted(), secret: secret, algorithm: .sm3))
        #expect(AuditChain.subjectDigest([subjects[0]], secret: secret) != AuditChain.subjectDigest([subjects[1]], secret: secret))
    }

    @Test func aSwitchInTheMiddleOfTheChainKeepsItVerifiable() async throws {
        let directory = try TemporaryDirectory("store")
        defer { directory.remove() }
        let store = try StateStore(directory: directory.path)
        let secret = SymmetricKey(size: .bits256)
        for index in 1...3 { _ = try await store.appendAudit(StateStoreTests().entry(index)) }
        store.auditHash = .sm3
        var stored: [AuditEntry] = []
        for index in 4...6 {
            var entry = StateStoreTests().entry(index)
            entry.subjectDigest = AuditChain.subjectDigest(["11010519491231002X"], secret: secret, algorithm: .sm3)
            stored.append(try await store.appendAudit(entry))
        }
        store.auditHash = .sha256
        _ = try await store.appendAudit(StateStoreTests().entry(7))

        let entries = try await store.auditEntries()
        let verification = AuditChain.verify(entries)
        #expect(verification.ok, "\(verification)")
        #expect(verification.segments == [.init(algorithm: "sha256", first: 1, last: 3), .init(algorithm: "sm3", first: 4, last: 6),
                                          .init(algorithm: "sha256", first: 7, last: 7)])
        #expect(entries.map(\.hashAlgorithm) == [nil, nil, nil, "sm3", "sm3", "sm3", nil])
        // The first SM3 entry chains to the last SHA-256 one.
        #expect(entries[3].previousHash == entries[2].hash)
        // SM3 as OpenSSL's command line computes it, over the stored bytes.
        for entry in entries[3...5] {
            let content = try await store.auditPool.read { db in
                try String.fetchOne(db, sql: "SELECT entry FROM audit WHERE sequence = ?", arguments: [entry.sequence])
            }
            let file = directory.file("entry-\(entry.sequence).json")
            try #require(content).write(toFile: file, atomically: true, encoding: .utf8)
            let dgst = try Spawn.capture("/usr/bin/openssl", ["dgst", "-sm3", "-r", file])
            #expect(dgst.status == 0 && dgst.output.hasPrefix(entry.hash + " "), "\(dgst.output) vs \(entry.hash)")
        }
        // HMAC-SM3 subject digest, as `openssl mac` computes it.
        let keyHex = secret.withUnsafeBytes { Data($0) }.map { String(format: "%02x", $0) }.joined()
        let mac = try Spawn.capture("/usr/bin/sh", ["-c", "printf '%s' 11010519491231002X | openssl mac -digest SM3 -macopt hexkey:\(keyHex) HMAC"])
        #expect(mac.status == 0 && mac.output.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == stored[0].subjectDigest, "\(mac.output)")

        // Changing an SM3 entry (its department) breaks the chain there; so does relabelling it as SHA-256.
        try await store.auditPool.write { db in
            let content = try String.fetchOne(db, sql: "SELECT entry FROM audit WHERE sequence = 5")!
            try db.execute(sql: "UPDATE audit SET entry = ? WHERE sequence = 5",
                           arguments: [content.replacingOccurrences(of: "\"departmentCode\":\"", with: "\"departmentCode\":\"X")])
        }
        let altered = AuditChain.verify(try await store.auditEntries())
        #expect(!altered.ok && altered.firstBroken == 5, "\(altered)")
        try await store.auditPool.write { db in
            let content = try String.fetchOne(db, sql: "SELECT entry FROM audit WHERE sequence = 4")!
            try db.execute(sql: "UPDATE audit SET entry = ? WHERE sequence = 4",
                           arguments: [content.replacingOccurrences(of: ",\"hashAlgorithm\":\"sm3\"", with: "")])
        }
        let relabelled = AuditChain.verify(try await store.auditEntries())
        #expect(!relabelled.ok && relabelled.firstBroken == 4, "\(relabelled)")
    }

    @Test func anUnknownAlgorithmIsNamed() {
        var entry = StateStoreTests().entry(1)
        entry.sequence = 1
        entry.previousHash = AuditChain.genesis
        entry.hashAlgorithm = "sm9"
        entry.hash = AuditChain.hash(content: entry.chainedContent)
        let result = AuditChain.verify([entry])
        #expect(!result.ok && result.reason?.contains("sm9") == true, "\(result)")
    }
}
