import CLibFuzzer
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What every fuzz target shares: the libFuzzer driver, and stopping at a difference so that libFuzzer keeps the
/// input as a crash file.
public enum Fuzz {
    /// The target's check, called by libFuzzer with each input. libFuzzer calls it from one thread at a time.
    nonisolated(unsafe) private static var check: ([UInt8]) -> Void = { _ in }

    /// Runs libFuzzer (its command line is the process's) with `check` as `LLVMFuzzerTestOneInput`. Never returns.
    public static func run(_ check: @escaping ([UInt8]) -> Void) -> Never {
        Self.check = check
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, count in
            Fuzz.check(count == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: count)))
            return 0
        }
        exit(status)
    }

    /// Reports a difference between the implementation and its reference, or a broken property, and stops the
    /// process: libFuzzer saves the input that caused it as `crash-…`. A difference is a finding as a crash is.
    public static func difference(_ target: String, _ what: String, input: [UInt8]) -> Never {
        let shown = String(decoding: input.prefix(400), as: UTF8.self)
        let report = "\n==== \(target): DIFFERENCE: \(what)\n==== input (\(input.count) bytes): \(shown.debugDescription)\n"
        _ = report.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
        abort()
    }
}

extension Fuzz {
    /// The result of `body`, waited for on this thread (libFuzzer's callback is synchronous).
    public static func wait<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            box.value = await body()
            done.signal()
        }
        done.wait()
        return box.value!
    }

    /// Writes `seeds` into the directory named by `TONGBAN_FUZZ_WRITE_SEEDS`, if set, and exits: how the seeds of
    /// targets whose inputs need keys made at run time (the manifest's) were made.
    public static func writeSeedsIfAsked(_ seeds: () throws -> [String: [UInt8]]) {
        guard let directory = ProcessInfo.processInfo.environment["TONGBAN_FUZZ_WRITE_SEEDS"] else { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for (name, bytes) in try seeds() { try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + name)) }
            exit(0)
        } catch {
            print("cannot write seeds: \(error)")
            exit(1)
        }
    }
}

/// The value a task hands back to the thread waiting for it (the semaphore orders the accesses).
private final class Box<T>: @unchecked Sendable {
    var value: T?
}
