import Foundation
import GRDBSQLite
import TongbanCore

extension RecordLookup {
    /// One read-only connection and its prepared statement. Used by one thread at a time (see `idle`).
    final class Connection: @unchecked Sendable {
        private let handle: OpaquePointer
        private let statement: OpaquePointer
        private let path: String

        /// How much of the records' file a lookup reads through a memory map rather than `pread` (SQLite's
        /// largest, 2 GiB less 64 KiB; beyond it, `pread`). A batch of 1,000 subjects spent ≈ 36 % of its time in
        /// `pread` copying ≈ 2.9 pages per record out of the page cache; mapped, a page read is a memory access
        /// once faulted in: 86,000 → 113,000 records/s at 10⁶ records. This pays only because the audit log has a
        /// file of its own: in WAL mode SQLite unmaps a file at the start of any read after it changed, and while
        /// every audit commit changed this file each batch faulted its pages in again (tried then: 60,600 → 43,200
        /// records/s). Costs: the pages a lookup touches count in the daemon's RSS (file pages, shared with the page
        /// cache and reclaimable — they were in the page cache before as well); and a disk error on a mapped page
        /// arrives as SIGBUS, stopping the daemon (systemd restarts it), instead of as an error for one exchange.
        static let mappedBytes = 2_147_418_112

        init(path: String) throws(TongbanError) {
            self.path = path
            var handle: OpaquePointer?
            let opened = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
            guard opened == SQLITE_OK, let handle else {
                let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
                sqlite3_close_v2(handle)
                throw TongbanError(.storeUnavailable, "cannot open \(path) for record lookups: \(message)")
            }
            func failure(_ what: String) -> TongbanError {
                TongbanError(.storeUnavailable, "\(what) on \(path): \(String(cString: sqlite3_errmsg(handle)))")
            }
            var statement: OpaquePointer?
            let sql = "SELECT fields, updated_at FROM records WHERE resource = ?1 AND subject = ?2"
            guard sqlite3_exec(handle, "PRAGMA query_only = 1", nil, nil, nil) == SQLITE_OK,
                  sqlite3_exec(handle, "PRAGMA mmap_size = \(Self.mappedBytes)", nil, nil, nil) == SQLITE_OK,
                  sqlite3_busy_timeout(handle, 5_000) == SQLITE_OK,
                  sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK,
                  let statement else {
                let error = failure("cannot prepare record lookups")
                sqlite3_close_v2(handle)
                throw error
            }
            self.handle = handle
            self.statement = statement
        }

        /// Runs `sql` (no rows expected); the connection's settings, and the test that it cannot write.
        func execute(_ sql: String) throws(TongbanError) {
            guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else { throw error("\(sql) failed") }
        }

        private func error(_ what: String) -> TongbanError {
            TongbanError(.storeUnavailable, "\(what) on \(path): \(String(cString: sqlite3_errmsg(handle)))")
        }

        deinit {
            sqlite3_finalize(statement)
            sqlite3_close_v2(handle)
        }

        /// `body` inside `BEGIN` … `COMMIT` (a deferred transaction: its snapshot is taken by the first read).
        func inReadTransaction<T>(_ body: () throws(TongbanError) -> T) throws(TongbanError) -> T {
            try execute("BEGIN")
            do {
                let result = try body()
                try execute("COMMIT")
                return result
            } catch {
                sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
                throw error
            }
        }

        /// Reads one record and hands its fields' bytes (SQLite's, valid only during the call) and time to `body`;
        /// `body` is not called when there is no such record.
        func visitRecord(resource: String, subject: String, _ body: (UnsafeBufferPointer<UInt8>, Date) -> Void) throws(TongbanError) {
            defer {
                sqlite3_reset(statement)
                sqlite3_clear_bindings(statement)
            }
            // SQLITE_STATIC (nil): the C strings outlive the step that reads them.
            let step = resource.withCString { resourceText in
                subject.withCString { subjectText in
                    sqlite3_bind_text(statement, 1, resourceText, -1, nil)
                    sqlite3_bind_text(statement, 2, subjectText, -1, nil)
                    return sqlite3_step(statement)
                }
            }
            switch step {
            case SQLITE_DONE:
                return
            case SQLITE_ROW:
                // The text first, then its length (SQLite's documented order for a text column).
                let text = sqlite3_column_text(statement, 0)
                let bytes = Int(sqlite3_column_bytes(statement, 0))
                let updatedAt = Date(timeIntervalSince1970: sqlite3_column_double(statement, 1))
                body(UnsafeBufferPointer(start: text, count: text == nil ? 0 : bytes), updatedAt)
            default:
                throw error("record lookup failed")
            }
        }
    }
}
