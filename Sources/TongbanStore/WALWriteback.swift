import Glibc

/// Starts the kernel writing a WAL's dirty pages while a large transaction is still filling it.
///
/// An import is one transaction: SQLite spills its pages into `tongban.sqlite-wal` as it goes, and the kernel keeps
/// them dirty (on a machine with plenty of memory, until the commit's fsync). Audit commits fsync `audit.sqlite-wal`
/// meanwhile, and on ext4 (data=ordered) such an fsync may have to wait for other files' dirty data: exchanges during
/// an import waited for the import's write-back (the bench's `query-1@N/s+import-M`, docs/performance.md). Started
/// every few thousand rows (`sync_file_range(SYNC_FILE_RANGE_WRITE)`, which does not wait for the writes), the
/// write-back is spread over the import instead of left for whichever fsync comes first.
struct WALWriteback: ~Copyable {
    /// Rows between two starts (≈ 1–2 MB of household records).
    static let rowsBetweenStarts = 4_096

    private let descriptor: Int32

    /// glibc's `sync_file_range`, which Swift's Glibc module does not import (it is declared only with `_GNU_SOURCE`).
    private typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32
    private static let syncFileRange: SyncFileRange? = dlsym(dlopen(nil, RTLD_NOW), "sync_file_range")
        .map { unsafeBitCast($0, to: SyncFileRange.self) }
    /// `SYNC_FILE_RANGE_WRITE` in `<fcntl.h>`: start writing dirty pages, wait for nothing.
    private static let writeFlag: UInt32 = 2

    init(databasePath: String) {
        descriptor = open(databasePath + "-wal", O_RDONLY | O_CLOEXEC)
    }

    /// Asks the kernel to begin writing the WAL's dirty pages; returns without waiting for them. False when it could
    /// not be asked (no WAL file, no `sync_file_range`); the import goes on regardless, only its write-back is left
    /// to the commit.
    @discardableResult
    func start() -> Bool {
        guard descriptor >= 0, let syncFileRange = Self.syncFileRange else { return false }
        return syncFileRange(descriptor, 0, 0, Self.writeFlag) == 0
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }
}
