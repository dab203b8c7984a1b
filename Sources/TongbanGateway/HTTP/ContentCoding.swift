import Foundation
import CompressNIO
import NIOCore
import TongbanCore

/// HTTP content codings on the peer listener: gzip and deflate (the zlib format, as HTTP means it).
enum ContentCoding: String, Sendable {
    case gzip
    case deflate

    /// Responses smaller than this are sent as they are.
    static let minimumSize = 1024

    var algorithm: CompressionAlgorithm {
        switch self {
        case .gzip: .gzip()
        case .deflate: .zlib()
        }
    }

    /// The coding to answer with for an `Accept-Encoding` value: gzip preferred, `q=0` honoured.
    static func preferred(_ acceptEncoding: String?) -> ContentCoding? {
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

    func encode(_ buffer: ByteBuffer) throws -> ByteBuffer {
        var input = buffer
        return try input.compress(with: algorithm)
    }

    /// Decodes at most `limit` bytes; more is a `tongban.body.too-large` (the decompression-bomb guard).
    func decode(_ buffer: ByteBuffer, limit: Int) throws(TongbanError) -> ByteBuffer {
        var input = buffer
        do { return try input.decompress(with: algorithm, maxSize: limit) } catch let error as CompressNIOError where error == .bufferOverflow {
            throw TongbanError("tongban.body.too-large", "the \(rawValue) body inflates beyond \(limit) bytes")
        } catch {
            throw TongbanError("tongban.request.invalid", "the \(rawValue) body is corrupt")
        }
    }
}
