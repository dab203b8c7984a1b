import Crypto
import Foundation
import TongbanCore
import TongbanGM

/// The audit log's hash chain: an entry's `hash` is the lowercase hex SHA-256 (SM3 in an entry whose `hashAlgorithm` is
/// `sm3`) of the UTF-8 of `chainedContent` —
/// every member, `previousHash` included, with `hash` set to "", as compact JSON with sorted keys (JSONText's escaping;
/// the double as `Double.description` without a final `.0`) — so each hash covers the one before it, back to 64 zeros.
/// The exact rule, enough to re-verify an export without this code: docs/protocol.md, "The audit chain: what is hashed".
public enum AuditChain {
    public static let genesis = String(repeating: "0", count: 64)

    /// The entry's hash under its own algorithm; nil when it names one this version does not know.
    public static func hash(_ entry: AuditEntry) -> String? {
        AuditHashAlgorithm(entryLabel: entry.hashAlgorithm).map { hash(content: entry.chainedContent, algorithm: $0) }
    }

    /// The hash of an entry whose `chainedContent` (with `hash` empty) is `content`.
    public static func hash(content: String, algorithm: AuditHashAlgorithm = .sha256) -> String {
        switch algorithm {
        case .sha256: SHA256.hash(data: Data(content.utf8)).hexString
        case .sm3: SM3.hash(Array(content.utf8)).hexString
        }
    }

    /// `entry` as the chain's next entry after `sequence` and `previous`: numbered, linked and hashed, with the text
    /// that is stored and hashed. An entry whose subject digest was made under an algorithm keeps it; any other
    /// takes `setting`. Both stores append through it.
    public static func link(_ entry: AuditEntry, after sequence: Int, previous: String, setting: AuditHashAlgorithm) -> (entry: AuditEntry, content: String) {
        var entry = entry
        entry.sequence = sequence + 1
        entry.previousHash = previous
        entry.hash = ""
        let algorithm = entry.hashAlgorithm.flatMap { AuditHashAlgorithm(entryLabel: $0) } ?? setting
        entry.hashAlgorithm = algorithm.entryLabel
        let content = entry.chainedContent
        entry.hash = hash(content: content, algorithm: algorithm)
        return (entry, content)
    }

    /// Walks entries in sequence order and names the first that does not chain.
    public static func verify(_ entries: [AuditEntry]) -> AuditVerification {
        var walk = AuditChainWalk()
        for entry in entries where walk.add(entry) == false { break }
        var result = walk.result
        result.entries = entries.count
        return result
    }

    /// HMAC-SHA256 (or HMAC-SM3) hex of the sorted subjects, so records can be matched without storing ID numbers.
    /// Subjects already in ascending order (a query's, `ExchangeHandlers.lookupOrder`) are not sorted again.
    public static func subjectDigest(_ subjects: [String], secret: SymmetricKey, algorithm: AuditHashAlgorithm = .sha256) -> String {
        let ascending = zip(subjects, subjects.dropFirst()).allSatisfy { $0 <= $1 }
        // The subjects joined by newlines, as bytes: one call into the HMAC (its `update` is generic, and a call per
        // subject cost a metadata lookup each in a 1,000-subject batch).
        var text: [UInt8] = []
        text.reserveCapacity(subjects.count * 19)
        for (index, subject) in (ascending ? subjects : subjects.sorted()).enumerated() {
            if index > 0 { text.append(UInt8(ascii: "\n")) }
            text += subject.utf8
        }
        switch algorithm {
        case .sha256:
            return Data(HMAC<SHA256>.authenticationCode(for: text, using: secret)).hexString
        case .sm3:
            return secret.withUnsafeBytes { HMACSM3.authenticationCode(for: text, key: Array($0)) }.hexString
        }
    }
}
