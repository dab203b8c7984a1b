import Foundation
import Synchronization
import TongbanCore

/// Record reads on SQLite's C interface, for the exchange's hot path.
///
/// GRDB's pool costs several times the lookup itself for one row: a `DispatchQueue.sync` hop to the reader, a
/// `PRAGMA schema_version` statement before every read, a key path instantiated at run time by its pool, and
/// a row cursor with an array of existential arguments per row (the benchmark's profile: 10 % of a
/// single-record exchange, of which `sqlite3_step` was a third, and 29 % of a 1,000-subject batch). These
/// connections keep their prepared statements and run them on the calling thread. They are opened
/// `query_only`, so nothing can write through them; WAL mode lets them read while GRDB's writer commits. One
/// statement sees one committed snapshot; several subjects are read inside one read transaction, so that
/// they too come from one snapshot.
final class RecordLookup: Sendable {
    private let path: String
    /// Idle connections; a caller takes one, uses it alone and gives it back. At most one per thread that
    /// reads at the same time (the event loops), so the list stays as short as the machine's core count.
    private let idle = Mutex<[Connection]>([])

    init(path: String) {
        self.path = path
    }

    /// The stored records of `subjects` in `resource`; absent subjects are missing from the result.
    func records(resource: String, subjects: [String]) throws(TongbanError) -> [String: StoredRecord] {
        var result: [String: StoredRecord] = [:]
        result.reserveCapacity(subjects.count)
        try visit(resource: resource, subjects: subjects) { index, fields, updatedAt in
            let subject = subjects[index]
            result[subject] = StoredRecord(subject: subject, fieldsJSON: String(decoding: fields, as: UTF8.self), updatedAt: updatedAt)
        }
        return result
    }

    /// `records`, handing each found record's fields to `visit` as SQLite's bytes (valid only during the call).
    func visit(resource: String, subjects: [String], _ visit: (Int, UnsafeBufferPointer<UInt8>, Date) -> Void) throws(TongbanError) {
        let connection: Connection
        if let reused = idle.withLock({ $0.popLast() }) { connection = reused } else { connection = try Connection(path: path) }
        defer { idle.withLock { $0.append(connection) } }
        if subjects.count == 1 {
            try connection.visitRecord(resource: resource, subject: subjects[0]) { visit(0, $0, $1) }
            return
        }
        try connection.inReadTransaction { () throws(TongbanError) in
            for (index, subject) in subjects.enumerated() {
                try connection.visitRecord(resource: resource, subject: subject) { visit(index, $0, $1) }
            }
        }
    }
}
