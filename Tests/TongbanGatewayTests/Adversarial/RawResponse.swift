import Foundation
import NIOCore

/// One HTTP/1.1 response as it came off the wire, parsed by hand: the hostile-request client must not depend on a
/// client library's idea of a well-formed exchange.
struct RawResponse: Sendable {
    let status: Int
    /// Field lines in order, names as sent.
    let fields: [(name: String, value: String)]
    let body: [UInt8]

    func field(_ name: String) -> String? {
        fields.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The server will close the connection after this response.
    var closes: Bool { field("Connection")?.lowercased().contains("close") == true }

    /// The `code` of an `application/problem+json` body, or nil when the response is not a problem with a code.
    var problemCode: String? {
        guard field("Content-Type")?.lowercased().hasPrefix("application/problem+json") == true,
              let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let code = object["code"] as? String, code.hasPrefix("tongban.") else { return nil }
        return code
    }

    /// Takes one complete response from the front of `buffer`, or returns nil (and leaves `buffer` alone) while it is
    /// incomplete. `headRequest`: the request was HEAD, so the response has no body whatever its framing says.
    /// `atEnd`: the connection is closed, so a response without framing ends here. Throws on bytes that are not HTTP.
    static func take(from buffer: inout ByteBuffer, headRequest: Bool, atEnd: Bool) throws -> RawResponse? {
        let view = buffer.readableBytesView
        guard let headEnd = view.firstRange(of: [13, 10, 13, 10]) else {
            if view.count >= 5, !view.starts(with: Array("HTTP/".utf8)) { throw NotHTTP(prefix: Array(view.prefix(16))) }
            return nil
        }
        let headBytes = view[view.startIndex..<headEnd.lowerBound]
        let lines = String(decoding: headBytes, as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines[0].split(separator: " ", maxSplits: 2)
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]) else {
            throw NotHTTP(prefix: Array(view.prefix(16)))
        }
        var fields: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let bodyStart = headEnd.upperBound
        let bodyBytes = view[bodyStart...]
        func value(_ name: String) -> String? { fields.first { $0.name.lowercased() == name }?.value }
        var body: [UInt8] = []
        var consumed = bodyStart - view.startIndex
        if headRequest || status == 204 || status == 304 || (100..<200).contains(status) {
            // no body
        } else if value("transfer-encoding")?.lowercased().contains("chunked") == true {
            var cursor = bodyStart
            while true {
                guard let lineEnd = view[cursor...].firstRange(of: [13, 10]) else { return nil }
                let sizeText = String(decoding: view[cursor..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";")[0]
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { throw NotHTTP(prefix: []) }
                cursor = lineEnd.upperBound
                if size == 0 {
                    // Trailers, then an empty line.
                    guard let end = view[cursor...].firstRange(of: [13, 10, 13, 10]) ?? (view[cursor...].starts(with: [13, 10])
                        ? cursor..<(cursor + 2) : nil) else { return nil }
                    cursor = end.upperBound
                    break
                }
                guard view.endIndex - cursor >= size + 2 else { return nil }
                body += view[cursor..<(cursor + size)]
                cursor += size + 2
            }
            consumed = cursor - view.startIndex
        } else if let length = value("content-length").flatMap({ Int($0) }) {
            guard bodyBytes.count >= length else { return nil }
            body = Array(bodyBytes.prefix(length))
            consumed += length
        } else {
            guard atEnd else { return nil }
            body = Array(bodyBytes)
            consumed = view.count
        }
        buffer.moveReaderIndex(forwardBy: consumed)
        return RawResponse(status: status, fields: fields, body: body)
    }

    struct NotHTTP: Error { let prefix: [UInt8] }
}
