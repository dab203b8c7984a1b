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

    /// Every level decodes to the same text; a higher level spends CPU for a smaller body.
    @Test(arguments: [ContentCoding.gzip, .deflate])
    func levelsTradeSizeForCPU(_ coding: ContentCoding) throws {
        let records = (0..<400).map { #"{"fields":{"address":"北京市东城区景山前街\#($0 % 37)号","name":"张\#($0 % 11)"},"subject":"1101051949123\#(10_000 + $0)","updatedAt":"2026-11-27T10:00:00Z"}"# }
        let text = "[" + records.joined(separator: ",") + "]"
        let sizes = try [1, 6, 9].map { level in
            let encoded = try coding.encode(ByteBuffer(string: text), level: level)
            #expect(String(buffer: try coding.decode(encoded, limit: 1 << 20)) == text)
            return encoded.readableBytes
        }
        #expect(sizes[0] > sizes[1] && sizes[1] >= sizes[2], "\(sizes)")
        #expect(sizes[0] * 4 < text.utf8.count)
    }

    /// A stream cut short decoded as far as it went, so a gzip body without its last bytes (its CRC and length, even
    /// part of its data) was served (found by the generated hostile requests, `AdversarialTests`). Bytes after the
    /// stream's end are refused too. A large stream that inflates far from little input decodes in full.
    @Test(arguments: [ContentCoding.gzip, .deflate])
    func aStreamCutShortOrFollowedIsRefused(_ coding: ContentCoding) throws {
        let text = String(repeating: #"{"resource":"1010010001","matter":"medical-registration"}"#, count: 20)
        let encoded = try coding.encode(ByteBuffer(string: text))
        for cut in [1, 2, 4, 8, encoded.readableBytes / 2] {
            #expect(throws: TongbanError.self, "cut by \(cut)") { try coding.decode(encoded.getSlice(at: 0, length: encoded.readableBytes - cut)!, limit: 1 << 20) }
        }
        var followed = encoded
        followed.writeString("garbage")
        #expect(throws: TongbanError.self) { try coding.decode(followed, limit: 1 << 20) }
        var spaces = ByteBuffer()
        spaces.writeRepeatingByte(0x20, count: 8 << 20)
        #expect(try coding.decode(try coding.encode(spaces), limit: 16 << 20).readableBytes == 8 << 20)
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
