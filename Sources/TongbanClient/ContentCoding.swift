import Foundation
import CompressNIO
import NIOCore
import TongbanCore

/// HTTP content codings between gateways: gzip and deflate (the zlib format, as HTTP means it), used by the
/// peer listener for requests and responses and by the peer client for answers.
public enum ContentCoding: String, Sendable {
    case gzip
    case deflate

    /// Responses smaller than this are sent as they are.
    public static let minimumSize = 1024

    /// The algorithm at zlib `level` (1–9). Decoding reads every level.
    func algorithm(level: Int = Self.defaultLevel) -> CompressionAlgorithm {
        let configuration = ZlibConfiguration(compressionLevel: Int32(min(max(level, 1), 9)))
        return switch self {
        case .gzip: .gzip(configuration: configuration)
        case .deflate: .zlib(configuration: configuration)
        }
    }

    /// zlib level 1 unless `compression.level` says otherwise. On a 1,000-record answer (247 KB of JSON) the
    /// benchmark measured level 6, zlib's default, at 20 % of the server's CPU and 8.3× smaller; level 1 is
    /// 6.3× smaller (well past the 4× asked of the gateway) and took batch answers from 48,000 to 77,000 records/s.
    public static let defaultLevel = 1

    /// The coding to answer with for an `Accept-Encoding` value: gzip preferred, `q=0` honoured.
    public static func preferred(_ acceptEncoding: String?) -> ContentCoding? {
        guard let acceptEncoding else { return nil }
        var accepted: [String: Double] = [:]
        for part in acceptEncoding.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let name = pieces.first, !name.isEmpty else { continue }
            let q = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            accepted[name] = q
        }
        for coding in [ContentCoding.gzip, .deflate] {
            if let q = accepted[coding.rawValue] ?? accepted["*"], q > 0 { return coding }
        }
        return nil
    }

    public func encode(_ buffer: ByteBuffer, level: Int = Self.defaultLevel) throws -> ByteBuffer {
        var input = buffer
        return try input.compress(with: algorithm(level: level))
    }

    /// Decodes at most `limit` bytes; more is a `tongban.body.too-large` (the decompression-bomb guard).
    /// Inflates through a fixed 64 KiB window and stops as soon as the output passes the limit, so memory
    /// never grows beyond the limit plus one window (compress-nio's own `maxSize` is not a hard cap).
    public func decode(_ buffer: ByteBuffer, limit: Int) throws(TongbanError) -> ByteBuffer {
        let decompressor = algorithm().decompressor
        var input = buffer
        // One byte past the end: zlib stops reading at the end of the stream (its check value verified), so this byte
        // is left unread exactly when the stream is whole and nothing follows it. compress-nio does not report the end
        // itself, and reports a stream cut short like one decoded in full.
        input.writeInteger(UInt8(0))
        var output = ByteBuffer()
        var window = ByteBufferAllocator().buffer(capacity: 64 * 1024)
        do {
            try decompressor.startStream()
            defer { try? decompressor.finishStream() }
            while input.readableBytes > 0 {
                let before = input.readableBytes
                do {
                    try input.decompressStream(to: &window, with: decompressor)
                } catch let error as CompressNIOError where error == .bufferOverflow {
                    // The window is full: drain it below.
                }
                let produced = window.readableBytes
                output.writeBuffer(&window)
                window.clear()
                guard output.readableBytes <= limit else {
                    throw TongbanError(.bodyTooLarge, "the \(rawValue) body inflates beyond \(limit) bytes")
                }
                if input.readableBytes == before, produced == 0 { break }  // no progress: the stream ended
            }
            guard input.readableBytes == 1 else {
                throw TongbanError(.requestInvalid, "the \(rawValue) body is cut short or followed by other bytes")
            }
            return output
        } catch let error as TongbanError {
            throw error
        } catch {
            throw TongbanError(.requestInvalid, "the \(rawValue) body is corrupt")
        }
    }
}
