internal import CTongbanGM
import Foundation
import TongbanCore

/// Helpers for the calls into the system's libcrypto (`CTongbanGM`): errors and byte buffers.
enum LibCrypto {
    /// The error for a failed call: the code, what was being done, and OpenSSL's reason. Takes the reason off this
    /// thread's error queue, so a later call does not see it.
    static func error(_ code: TongbanError.Code, _ what: String, file: String = #fileID, line: Int = #line) -> TongbanError {
        var buffer = [CChar](repeating: 0, count: 256)
        tb_gm_take_error(&buffer, buffer.count)
        let reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return TongbanError(code, "\(what): \(reason)", detail: "openssl", file: file, line: line)
    }

    /// Calls `body` with the bytes of `data` in one contiguous buffer whose base address is never nil (OpenSSL
    /// may read a null pointer as "no argument" even when the length is zero).
    static func withBytes<Result>(
        _ data: some DataProtocol, _ body: (UnsafePointer<UInt8>, Int) throws -> Result
    ) rethrows -> Result {
        if let result = try data.withContiguousStorageIfAvailable({ buffer in
            try withNonNull(UnsafeRawBufferPointer(buffer), body)
        }) {
            return result
        }
        return try Array(data).withUnsafeBytes { try withNonNull($0, body) }
    }

    private static func withNonNull<Result>(
        _ buffer: UnsafeRawBufferPointer, _ body: (UnsafePointer<UInt8>, Int) throws -> Result
    ) rethrows -> Result {
        if let base = buffer.baseAddress, buffer.count > 0 {
            return try body(base.assumingMemoryBound(to: UInt8.self), buffer.count)
        }
        var empty: UInt8 = 0
        return try withUnsafePointer(to: &empty) { try body($0, 0) }
    }

    /// Copies and releases a buffer `CTongbanGM` returned.
    static func take(_ pointer: UnsafeMutableRawPointer, count: Int) -> [UInt8] {
        defer { tb_gm_free(pointer) }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
