import Foundation

/// How many malloc arenas glibc may create (`M_ARENA_MAX`).
///
/// glibc gives a thread that allocates while the others' arenas are busy an arena of its own, up to eight per core of
/// the machine, and memory freed in one arena serves only the threads on it. An idle daemon's start-up left ≈ 6.5 MiB
/// in seven arenas (NIO's event loops and thread pool, the concurrency pool, the audit writer; measured with
/// `/proc/PID/smaps`); with one arena per event loop, at least two, the idle resident set is ≈ 1.3 MiB smaller
/// (`docs/performance.md`, "Idle memory"). Each thread keeps its own cache of small blocks (tcache) whatever the limit,
/// so the hot path seldom takes an arena's lock.
public enum MallocArenas {
    /// The limit for a daemon with `eventLoops` event loops.
    public static func limit(eventLoops: Int) -> Int { max(2, eventLoops) }

    /// Sets the limit, before the threads that allocate exist, unless `MALLOC_ARENA_MAX` in the environment set one
    /// already (glibc read it at start). True when set.
    @discardableResult
    public static func apply(_ limit: Int, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard environment["MALLOC_ARENA_MAX"] == nil, limit > 0 else { return false }
        // `mallopt` is in <malloc.h>, which the Glibc module does not include; `M_ARENA_MAX` is -8 there.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
        return unsafeBitCast(symbol, to: Mallopt.self)(-8, Int32(clamping: limit)) == 1
    }
}
