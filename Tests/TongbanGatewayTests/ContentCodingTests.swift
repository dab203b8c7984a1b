import CompressNIO
import Foundation
import NIOCore
import Testing
import TongbanCore
import TongbanClient

/// gzip and deflate (zlib format) round trips, negotiation, and the decompression cap.
@Suite struct ContentCodingTests {
    @Test(arguments: [ContentCoding.gzip, .deflate])
    func roundTrips(_ coding: ContentCoding) throws {
        let text = String(repeating: "户籍人口信息 catalogue ", count: 500)
        let encoded = try coding.encode(ByteBuffer(string: text))
        #expect(encoded.readableBytes * 4 < text.utf8.count)
        let decoded = try coding.decode(encoded, limit: 1 << 20)
        #expect(String(buffer: decoded) == text)
        // The HTTP "deflate" coding is the zlib format (RFC 1950), which starts 0x78; gzip starts 0x1f 0x8b.
        let first = encoded.getBytes(at: encoded.readerIndex, length: 2)!
        #expect(coding == .gzip ? first == [0x1f, 0x8b] : first[0] == 0x78)
    }

    @Test func bombIsRefusedAtTheCap() throws {
        var raw = ByteBuffer()
        raw.writeRepeatingByte(0, count: 17 * 1024 * 1024)
        let bomb = try ContentCoding.gzip.encode(raw)
        #expect { try ContentCoding.gzip.decode(bomb, limit: 16 * 1024 * 1024) } throws: { ($0 as? TongbanError)?.code.rawValue == "tongban.body.too-large" }
        #expect(try ContentCoding.gzip.decode(bomb, limit: 18 * 1024 * 1024).readableBytes == 17 * 1024 * 1024)
    }

    @Test(arguments: [("gzip, deflate", ContentCoding.gzip), ("deflate", .deflate), ("gzip;q=0, deflate", .deflate),
                      ("br", nil), ("*", .gzip), ("identity", nil)] as [(String, ContentCoding?)])
    func negotiation(_ header: String, _ expected: ContentCoding?) {
        #expect(ContentCoding.preferred(header) == expected)
    }
}
