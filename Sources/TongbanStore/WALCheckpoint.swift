/// What one WAL checkpoint of one database file found and did (see `StateStore.checkpoint`).
public struct WALCheckpoint: Equatable, Sendable {
    /// Frames in the WAL (4 KiB pages).
    public let walFrames: Int
    /// Frames copied into the database file.
    public let checkpointed: Int
    /// Whether the WAL was started again from its beginning.
    public let restarted: Bool
    /// How long the checkpoint took, the flush and restart included (a slow one means the disk is behind the WAL).
    public var duration: Duration = .zero
}
