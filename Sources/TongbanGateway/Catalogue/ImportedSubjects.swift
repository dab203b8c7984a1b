import TongbanStore

/// The subjects an import has accepted so far, to refuse a second row for the same subject. Keyed by the subject's
/// hash with the record's index, the subject itself compared in the `RecordBatch` on a match — a table of 10⁶
/// subjects is then one allocation of ≈ 30 MB rather than a million `String`s. Subjects whose hash another subject
/// already holds (rare) are kept by their text.
struct ImportedSubjects {
    private var byHash: [Int: Int32] = [:]
    private var collided: [String: Int32] = [:]
    private let hash: (String) -> Int

    /// `hash` is the subject's `hashValue` but in tests, which force collisions with it.
    init(expected: Int, hash: @escaping (String) -> Int = { $0.hashValue }) {
        byHash.reserveCapacity(expected)
        self.hash = hash
    }

    /// The index of the record already holding `subject`, or nil after remembering it as record `index`.
    mutating func earlier(_ subject: String, in records: RecordBatch, newIndex index: Int) -> Int? {
        let hash = hash(subject)
        guard let first = byHash[hash] else {
            byHash[hash] = Int32(index)
            return nil
        }
        if records.subject(at: Int(first), equals: subject) { return Int(first) }
        if let other = collided[subject] { return Int(other) }
        collided[subject] = Int32(index)
        return nil
    }
}
