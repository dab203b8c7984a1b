import NIOCore
import NIOPosix
import TongbanCore

/// Where a Tongban process runs its I/O and its Swift concurrency: one NIO event loop per CPU the process may
/// use, and concurrency's jobs on those loops (no thread hop between a connection's I/O and its handler;
/// measured in docs/performance.md). Work that blocks runs on NIO's thread pool instead. NIO runs each job isolated
/// to its loop, so a task goes back through the loop's queue at every change of executor (≈ 44 times per peer
/// exchange); running jobs without isolation removed those trips and made exchanges slower (docs/performance.md,
/// round ten), so NIO's take-over stays as it is. Used by `tongband` and by the bench's load generator, so that
/// both run as they are measured.
public enum EventLoopPlacement {
    /// Call first, before anything uses NIO's singletons. NIO counts the machine's cores, not the
    /// `taskset`/`CPUAffinity=` mask, so a pinned process would otherwise share its CPU between several loops.
    /// True when concurrency now runs on the event loops.
    @discardableResult
    public static func oneLoopPerAllowedCPU() -> Bool {
        if let allowed = CPUAffinity.allowedCount, allowed < System.coreCount {
            NIOSingletons.groupLoopCountSuggestion = allowed
        }
        return NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
