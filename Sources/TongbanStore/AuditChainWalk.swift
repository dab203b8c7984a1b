import TongbanCore

/// The audit chain checked one entry at a time, from entry 1 (`AuditChain.verify` for a list; a migration's check
/// for a log read in pages, never held whole).
public struct AuditChainWalk: Sendable {
    private var previous = AuditChain.genesis
    private var expectedSequence = 1
    private var segments: [AuditVerification.Segment] = []
    private var count = 0
    private var failure: AuditVerification?

    public init() {}

    /// Checks the next entry; false once the chain is broken (later entries are not looked at).
    @discardableResult
    public mutating func add(_ entry: AuditEntry) -> Bool {
        guard failure == nil else { return false }
        count += 1
        func broken(_ sequence: Int, _ reason: String) -> Bool {
            failure = AuditVerification(ok: false, entries: count, firstBroken: sequence, reason: reason)
            return false
        }
        if entry.sequence != expectedSequence {
            if expectedSequence == 1 { return broken(entry.sequence, "entries before \(entry.sequence) are missing") }
            return broken(expectedSequence, "entry \(expectedSequence) is missing (next is \(entry.sequence))")
        }
        if entry.previousHash != previous {
            return broken(entry.sequence, "entry \(entry.sequence) does not follow the entry before it (moved or the one before changed)")
        }
        guard let algorithm = AuditHashAlgorithm(entryLabel: entry.hashAlgorithm) else {
            return broken(entry.sequence, "entry \(entry.sequence) names a hash algorithm this version does not know: \(entry.hashAlgorithm ?? "")")
        }
        if AuditChain.hash(content: entry.chainedContent, algorithm: algorithm) != entry.hash {
            return broken(entry.sequence, "entry \(entry.sequence) was altered after it was written")
        }
        if segments.last?.algorithm == algorithm.rawValue {
            segments[segments.count - 1].last = entry.sequence
        } else {
            segments.append(.init(algorithm: algorithm.rawValue, first: entry.sequence, last: entry.sequence))
        }
        previous = entry.hash
        expectedSequence += 1
        return true
    }

    public var result: AuditVerification {
        failure ?? AuditVerification(ok: true, entries: count, segments: segments)
    }
}
