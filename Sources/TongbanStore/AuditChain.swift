import Crypto
import Foundation
import TongbanCore

/// The audit log's hash chain: an entry's `hash` is the lowercase hex SHA-256 of the UTF-8 of `chainedContent` —
/// every member, `previousHash` included, with `hash` set to "", as compact JSON with sorted keys (JSONText's escaping;
/// the double as `Double.description` without a final `.0`) — so each hash covers the one before it, back to 64 zeros.
/// The exact rule, enough to re-verify an export without this code: docs/protocol.md, "The audit chain: what is hashed".
public enum AuditChain {
    public static let genesis = String(repeating: "0", count: 64)

    public static func hash(_ entry: AuditEntry) -> String {
        hash(content: entry.chainedContent)
    }

    /// The hash of an entry whose `chainedContent` (with `hash` empty) is `content`.
    public static func hash(content: String) -> String {
        SHA256.hash(data: Data(content.utf8)).hexString
    }

    /// Walks entries in sequence order and names the first that does not chain.
    public static func verify(_ entries: [AuditEntry]) -> AuditVerification {
        var previous = genesis
        var expectedSequence = entries.first?.sequence ?? 1
        if expectedSequence != 1 { return AuditVerification(ok: false, entries: entries.count, firstBroken: expectedSequence, reason: "entries before \(expectedSequence) are missing") }
        for entry in entries {
            if entry.sequence != expectedSequence {
                return AuditVerification(ok: false, entries: entries.count, firstBroken: expectedSequence, reason: "entry \(expectedSequence) is missing (next is \(entry.sequence))")
            }
            if entry.previousHash != previous {
                return AuditVerification(ok: false, entries: entries.count, firstBroken: entry.sequence, reason: "entry \(entry.sequence) does not follow the entry before it (moved or the one before changed)")
            }
            if hash(entry) != entry.hash {
                return AuditVerification(ok: false, entries: entries.count, firstBroken: entry.sequence, reason: "entry \(entry.sequence) was altered after it was written")
            }
            previous = entry.hash
            expectedSequence += 1
        }
        return AuditVerification(ok: true, entries: entries.count)
    }

    /// HMAC-SHA256 (hex) of the sorted subjects, so both sides can match records without storing ID numbers.
    public static func subjectDigest(_ subjects: [String], secret: SymmetricKey) -> String {
        let text = subjects.sorted().joined(separator: "\n")
        return Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: secret)).hexString
    }
}
