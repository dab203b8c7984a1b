/// Records to store, packed: every subject and its fields' JSON in one byte array with their end offsets, instead
/// of two `String`s per record. An import of 10⁶ records then makes a few large allocations, which glibc maps and
/// returns to the system when they are freed, instead of two million small ones that stay in the heap of the
/// thread that parsed them (see docs/performance.md, "Memory").
public struct RecordBatch: Sendable {
    private var bytes: [UInt8] = []
    /// For record `i`: where its subject ends (`ends[2i]`) and where its JSON ends (`ends[2i + 1]`).
    private var ends: [Int] = []

    public init() {}

    /// Records from pairs, as tests and small callers have them.
    public init(_ records: [(subject: String, fieldsJSON: String)]) {
        for record in records { append(subject: record.subject, fieldsJSON: record.fieldsJSON) }
    }

    public var count: Int { ends.count / 2 }

    public mutating func append(subject: String, fieldsJSON: String) {
        bytes.append(contentsOf: subject.utf8)
        ends.append(bytes.count)
        bytes.append(contentsOf: fieldsJSON.utf8)
        ends.append(bytes.count)
    }

    public func subject(at index: Int) -> String {
        text(from: index == 0 ? 0 : ends[2 * index - 1], to: ends[2 * index])
    }

    public func fieldsJSON(at index: Int) -> String {
        text(from: ends[2 * index], to: ends[2 * index + 1])
    }

    /// Whether record `index`'s subject is `subject`, without making a `String` of it.
    public func subject(at index: Int, equals subject: String) -> Bool {
        let start = index == 0 ? 0 : ends[2 * index - 1]
        return bytes[start..<ends[2 * index]].elementsEqual(subject.utf8)
    }

    private func text(from start: Int, to end: Int) -> String {
        // Only `append` writes the bytes, from `String`s: they are valid UTF-8.
        String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
