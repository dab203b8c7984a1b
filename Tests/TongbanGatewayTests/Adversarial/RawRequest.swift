/// An HTTP/1.1 request written byte by byte, so that a test can send what no client library would: repeated or
/// folded fields, any method and target, raw bytes in the head, any framing.
struct RawRequest: Sendable {
    enum Framing: Sendable {
        /// `Content-Length` with the body's length (none without a body, unless `always`).
        case contentLength
        /// `Transfer-Encoding: chunked` in chunks of this size, with optional trailer lines.
        case chunked(size: Int, trailers: [String] = [])
        /// No framing field at all: the caller has written its own.
        case none
    }

    var method: String
    var target: String
    var version = "HTTP/1.1"
    /// Field lines as written: `name: value`. `Host` is the first.
    var fields: [(name: String, value: String)]
    var body: [UInt8]
    var framing = Framing.contentLength

    func field(_ name: String) -> String? { fields.first { $0.name.lowercased() == name.lowercased() }?.value }

    mutating func setField(_ name: String, _ value: String) {
        if let index = fields.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) {
            fields[index].value = value
        } else {
            fields.append((name, value))
        }
    }

    mutating func removeField(_ name: String) { fields.removeAll { $0.name.lowercased() == name.lowercased() } }

    /// The request's bytes; `head` replaces every field line's bytes when given (for bytes that are not UTF-8).
    func bytes(rawFieldLines: [[UInt8]]? = nil) -> [UInt8] {
        var out = Array("\(method) \(target) \(version)\r\n".utf8)
        if let rawFieldLines {
            for line in rawFieldLines { out += line + [13, 10] }
        } else {
            for field in fields { out += Array("\(field.name): \(field.value)\r\n".utf8) }
        }
        switch framing {
        case .contentLength:
            if !body.isEmpty || method == "POST" { out += Array("Content-Length: \(body.count)\r\n".utf8) }
            out += [13, 10]
            out += body
        case .chunked(let size, let trailers):
            out += Array("Transfer-Encoding: chunked\r\n\r\n".utf8)
            out += Self.chunked(body, size: size, trailers: trailers)
        case .none:
            out += [13, 10]
            out += body
        }
        return out
    }

    /// `body` in chunks of `size` bytes, the last chunk, `trailers` and the empty line.
    static func chunked(_ body: [UInt8], size: Int, trailers: [String] = []) -> [UInt8] {
        var out: [UInt8] = []
        var offset = 0
        while offset < body.count {
            let chunk = body[offset..<min(body.count, offset + max(1, size))]
            out += Array("\(String(chunk.count, radix: 16))\r\n".utf8) + chunk + [13, 10]
            offset += chunk.count
        }
        out += Array("0\r\n".utf8)
        for trailer in trailers { out += Array("\(trailer)\r\n".utf8) }
        return out + [13, 10]
    }
}
