#if canImport(Glibc)
import Glibc
#endif

/// How the daemon keeps glibc's heap from holding on to memory it has freed. `<malloc.h>` is not in Swift's Glibc
/// module, so `mallopt(3)` and `malloc_trim(3)` are looked up by name.
enum HeapPolicy {
    /// Allocations of this size or more are mapped on their own and returned to the system when freed.
    static let mapThreshold: Int32 = 1 << 20

    /// Fixes glibc's map threshold (process-wide; called once at start-up). By default the threshold follows the
    /// largest mapped block freed so far, up to 32 MiB: after one large import, the next one's arrays of a few MiB
    /// to 32 MiB came from a thread's arena instead, whose top `malloc_trim` never returns — every 100,000-row
    /// import left ≈ 50 MB more resident. Fixing it also turns that adjustment off. Returns whether glibc took it.
    @discardableResult
    static func fixMapThreshold() -> Bool {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
        return unsafeBitCast(symbol, to: Mallopt.self)(mmapThreshold, mapThreshold) == 1
        #else
        return false
        #endif
    }

    /// Returns free pages inside the heap to the system (after an import: glibc keeps them otherwise; a
    /// 1,000,000-row import once left the daemon at 1.4 GiB resident).
    static func returnFreedMemory() {
        #if canImport(Glibc)
        typealias MallocTrim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        }
        #endif
    }
}
