import Glibc
import GRDB
import Synchronization

/// WAL checkpoints of one database file, from a connection of their own so they never run inside an
/// exchange's commit (see `StateStore.checkpoint`).
final class WALCheckpointer: Sendable {
    let path: String
    let queue: DatabaseQueue
    /// The WAL's frame count when the WAL was last restarted: until the next commit starts writing it again,
    /// SQLite still reports those frames, and another restart (and its flush) would do nothing.
    let restartedAtFrames = Mutex<Int>(0)

    init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        queue = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// A PASSIVE checkpoint, then a RESTART one when the WAL holds more than `limit` frames and the passive copy
    /// left at most 1,024 of them (see `StateStore.checkpoint` for why and what it costs).
    func run(restartingAbove limit: Int) async throws -> WALCheckpoint {
        let start = ContinuousClock.now
        var result = try await copy(restartingAbove: limit)
        result.duration = ContinuousClock.now - start
        return result
    }

    private func copy(restartingAbove limit: Int) async throws -> WALCheckpoint {
        try await queue.writeWithoutTransaction { db in
            let passive = try db.checkpoint(.passive)
            let unchanged = WALCheckpoint(walFrames: passive.walFrameCount, checkpointed: passive.checkpointedFrameCount, restarted: false)
            guard passive.walFrameCount > limit, passive.walFrameCount - passive.checkpointedFrameCount <= 1_024,
                  passive.walFrameCount != restartedAtFrames.withLock({ $0 }) else { return unchanged }
            // The passive copy syncs the database file only when no commit arrived meanwhile, so under load its
            // pages are still dirty: flushed here, while writers go on, rather than inside the RESTART
            // checkpoint, which would hold them for the whole flush (≈ 1 s after an import of 10⁶ records).
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            if descriptor >= 0 {
                _ = fdatasync(descriptor)
                Glibc.close(descriptor)
            }
            try db.execute(sql: "PRAGMA busy_timeout = 200")
            defer { try? db.execute(sql: "PRAGMA busy_timeout = 5000") }
            do {
                _ = try db.checkpoint(.restart)
                restartedAtFrames.withLock { $0 = passive.walFrameCount }
                return WALCheckpoint(walFrames: passive.walFrameCount, checkpointed: passive.checkpointedFrameCount, restarted: true)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
                return unchanged
            }
        }
    }

    func close() throws { try queue.close() }
}
