import Testing
import TongbanStore
@testable import TongbanGateway

/// An import's duplicate check finds a subject's first row, including when subjects share a hash.
@Suite struct ImportedSubjectsTests {
    static func run(_ subjects: [String], hash: @escaping (String) -> Int) -> [Int?] {
        var seen = ImportedSubjects(expected: 4, hash: hash)
        var batch = RecordBatch()
        return subjects.map { subject in
            let earlier = seen.earlier(subject, in: batch, newIndex: batch.count)
            if earlier == nil { batch.append(subject: subject, fieldsJSON: "{}") }
            return earlier
        }
    }

    @Test func findsTheFirstRecordOfASubject() {
        let subjects = ["a", "b", "c", "b", "a", "d", "c"]
        let expected: [Int?] = [nil, nil, nil, 1, 0, nil, 2]
        #expect(Self.run(subjects, hash: { $0.hashValue }) == expected)
        // Every subject with the same hash: the first by the table, the others by their text.
        #expect(Self.run(subjects, hash: { _ in 7 }) == expected)
        // Two hashes for four subjects.
        #expect(Self.run(subjects, hash: { $0 < "c" ? 1 : 2 }) == expected)
    }
}
