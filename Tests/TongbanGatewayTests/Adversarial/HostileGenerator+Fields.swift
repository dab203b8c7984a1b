import Foundation
import TongbanSigning

extension HostileGenerator {
    /// Header fields repeated, folded (obs-fold), re-cased and oddly spaced.
    func duplicatedHeader(_ context: inout Context) -> [HostileCase] {
        var (endpoint, request) = baseline(&context, [.ping, .query, .verify, .catalogue])
        let hasBody = !request.body.isEmpty
        let route = "\(endpoint.method) \(endpoint.path)"
        let covered = hasBody ? ["Tongban-Request-Id", "Content-Type", "Content-Digest"] : ["Tongban-Request-Id"]
        func duplicate(_ name: String, _ value: String? = nil, first: Bool = false) {
            let line = (name, value ?? request.field(name)!)
            if first { request.fields.insert(line, at: 1) } else { request.fields.append(line) }
        }
        switch context.int(0...21) {
        case 0:
            let name = context.pick(covered)
            duplicate(name)
            return [context.make("covered \(name) repeated, same value (\(route))", request, .refuse([401]))]
        case 1:
            let name = context.pick(covered)
            let other = name == "Tongban-Request-Id" ? context.uuid() : name == "Content-Type" ? "text/plain" : ContentDigest.field(for: Array("{}".utf8))
            duplicate(name, other, first: context.chance(0.5))
            return [context.make("covered \(name) repeated, other value (\(route))", request, .refused)]
        case 2:
            let name = context.pick(["Signature-Input", "Signature"])
            duplicate(name)
            return [context.make("\(name) repeated, same value (\(route))", request, .neutral)]
        case 3:
            duplicate("Host")
            return [context.make("Host repeated, same value (\(route))", request, .reject, fresh: true)]
        case 4:
            duplicate("Host", context.pick(["evil.example", "127.0.0.1:1", "localhost"]), first: context.chance(0.5))
            return [context.make("Host repeated, other value (\(route))", request, .reject, fresh: true)]
        case 5 where hasBody:
            request.framing = .none
            let length = request.body.count
            request.fields += [("Content-Length", "\(length)"), ("Content-Length", "\(length)")]
            return [context.make("Content-Length repeated, same value (\(route))", request, .tolerate, fresh: true)]
        case 6 where hasBody:
            request.framing = .none
            let length = request.body.count
            request.fields += [("Content-Length", "\(length)"), ("Content-Length", "\(length - 2)")]
            return [context.make("Content-Length repeated, other value (\(route))", request, .reject, fresh: true)]
        case 7 where hasBody:
            // Both framings: RFC 9112 lets a server reject it, or read it chunked and close; never two readings.
            let length = request.body.count
            request.framing = .chunked(size: 7)
            request.fields.append(("Content-Length", "\(length)"))
            return [context.make("Content-Length beside Transfer-Encoding: chunked (\(route))", request, .tolerate, fresh: true)]
        case 8 where hasBody:
            let coding = context.pick(["chunked, chunked", "gzip, chunked", "Chunked", "chunked ", "identity", "chunked;q=1", "xchunked"])
            request.framing = .none
            request.fields.append(("Transfer-Encoding", coding))
            request.body = RawRequest.chunked(request.body, size: 16)
            // What the body means under an unusual Transfer-Encoding is the parser's call; it must not be served
            // as something else than what was signed (the digest says).
            return [context.make("Transfer-Encoding: \(coding) (\(route))", request, coding == "Chunked" || coding == "chunked " ? .tolerate : .reject,
                                 fresh: true)]
        case 9:
            request.fields.insert(("X-Folded", "first"), at: 1)
            var bytes = request.bytes()
            bytes = Self.replacing(bytes, "X-Folded: first\r\n", with: Array("X-Folded: first\r\n  continued\r\n".utf8))
            return [context.make("an unsigned field folded (obs-fold) (\(route))", bytes: bytes, .tolerate, fresh: true)]
        case 10:
            let id = request.field("Tongban-Request-Id")!
            let bytes = Self.replacing(request.bytes(), "Tongban-Request-Id: \(id)\r\n",
                                       with: Array("Tongban-Request-Id: \(id.prefix(18))\r\n \(id.dropFirst(18))\r\n".utf8))
            return [context.make("covered tongban-request-id folded in two (\(route))", bytes: bytes, .reject, fresh: true)]
        case 11:
            let input = request.field("Signature-Input")!
            let split = input.firstIndex(of: " ")!
            let bytes = Self.replacing(request.bytes(), "Signature-Input: \(input)\r\n",
                                       with: Array("Signature-Input: \(input[..<split])\r\n\(input[split...])\r\n".utf8))
            return [context.make("Signature-Input folded at a space (\(route))", bytes: bytes, .tolerate, fresh: true)]
        case 12:
            let signature = request.field("Signature")!
            let bytes = Self.replacing(request.bytes(), "Signature: \(signature)\r\n",
                                       with: Array("Signature: \(signature.prefix(30))\r\n \(signature.dropFirst(30))\r\n".utf8))
            return [context.make("Signature folded inside its bytes (\(route))", bytes: bytes, .reject, fresh: true)]
        case 13:
            let how = context.int(0...2)
            for index in request.fields.indices {
                let name = request.fields[index].name
                request.fields[index].name = how == 0 ? name.lowercased() : how == 1 ? name.uppercased()
                    : String(name.enumerated().map { $0.offset % 2 == 0 ? Character($0.element.uppercased()) : Character($0.element.lowercased()) })
            }
            return [context.make("field names in \(["lower case", "capitals", "mixed case"][how]) (\(route))", request, .neutral)]
        case 14:
            let style = context.int(0...2)
            let bytes = request.fields.map { field in
                Array((style == 0 ? "\(field.name):\(field.value)" : style == 1 ? "\(field.name):  \t \(field.value) \t " : "\(field.name):\t\(field.value)").utf8)
            }
            return [context.make("optional whitespace \(["none", "spaces and tabs", "a tab"][style]) (\(route))",
                                 bytes: request.bytes(rawFieldLines: bytes), .neutral)]
        case 15:
            let name = context.pick(request.fields.map(\.name))
            let bytes = Self.replacing(request.bytes(), "\(name): ", with: Array("\(name) : ".utf8))
            return [context.make("space before the colon of \(name) (\(route))", bytes: bytes, .reject, fresh: true)]
        case 16:
            let line = context.pick([": empty-name", "X Y: z", "X-No-Colon", "X-Bad(): 1", "\u{7F}X: 1", " X-Leading-Space: 1"])
            request.fields.insert((line, ""), at: 1)
            let bytes = Self.replacing(request.bytes(), "\(line): \r\n", with: Array("\(line)\r\n".utf8))
            return [context.make("malformed field line \(line.debugDescription) (\(route))", bytes: bytes, .reject, fresh: true)]
        case 17:
            for n in 0..<context.pick([50, 200]) { request.fields.append(("X-Pad-\(n)", String(repeating: "p", count: 20))) }
            return [context.make("many unsigned fields (\(route))", request, .neutral)]
        case 18:
            request.fields.append(("X-Pad", String(repeating: "p", count: context.pick([20_000, 40_000]))))
            return [context.make("one huge unsigned field (\(route))", request, .reject, fresh: true)]
        case 19:
            let bytes = request.bytes().split(separator: 13, omittingEmptySubsequences: false).joined().map { $0 }
            return [context.make("bare LF line endings (\(route))", bytes: Array(bytes), .tolerate, fresh: true)]
        case 20:
            // CR alone ends nothing: it is not a line ending.
            let bytes = Self.replacing(request.bytes(), "\r\nTongban-Request-Id", with: Array("\rTongban-Request-Id".utf8))
            return [context.make("bare CR before a field (\(route))", bytes: bytes, .reject, fresh: true)]
        default:
            request.fields.append(("X-Empty", ""))
            return [context.make("an empty unsigned field (\(route))", request, .neutral)]
        }
    }

    /// NUL bytes and overlong or invalid UTF-8 in the request line, the fields and the body.
    func nulAndUTF8(_ context: inout Context) -> [HostileCase] {
        let overlong: [(String, [UInt8])] = [("C0 AF (/)", [0xC0, 0xAF]), ("C0 AE (.)", [0xC0, 0xAE]), ("C0 80 (NUL)", [0xC0, 0x80]),
                                             ("E0 80 AF (/)", [0xE0, 0x80, 0xAF]), ("F0 80 80 AF (/)", [0xF0, 0x80, 0x80, 0xAF]),
                                             ("C0 B1 (1)", [0xC0, 0xB1]), ("ED A0 80 (surrogate)", [0xED, 0xA0, 0x80]),
                                             ("F4 90 80 80 (> U+10FFFF)", [0xF4, 0x90, 0x80, 0x80]), ("FF", [0xFF]), ("80 (lone)", [0x80]),
                                             ("E4 B8 (cut)", [0xE4, 0xB8])]
        let (name, bad) = context.pick(overlong + [("NUL", [0]), ("NUL", [0])])
        switch context.int(0...13) {
        case 0:
            let (_, request) = baseline(&context, [.ping, .catalogue])
            let bytes = Self.replacing(request.bytes(), "\(request.target) HTTP/1.1", with: Array(request.target.utf8) + bad + Array(" HTTP/1.1".utf8))
            return [context.make("\(name) in the request target", bytes: bytes, .reject, fresh: true)]
        case 1:
            let (_, request) = baseline(&context, [.ping, .catalogue])
            let bytes = Self.replacing(request.bytes(), request.method + " ", with: Array(request.method.utf8) + bad + [0x20])
            return [context.make("\(name) in the method", bytes: bytes, .reject, fresh: true)]
        case 2:
            var (_, request) = baseline(&context, [.ping, .query])
            request.fields.insert(("X-Note", "a\u{1}b"), at: 1)
            let bytes = Self.replacing(request.bytes(), "a\u{1}b", with: [0x61] + bad + [0x62])
            return [context.make("\(name) in an unsigned field value", bytes: bytes, .tolerate, fresh: true)]
        case 3:
            var (_, request) = baseline(&context, [.ping, .query])
            request.fields.insert(("X-Note", "1"), at: 1)
            let bytes = Self.replacing(request.bytes(), "X-Note: 1", with: Array("X-N".utf8) + bad + Array("ote: 1".utf8))
            return [context.make("\(name) in a field name", bytes: bytes, .reject, fresh: true)]
        case 4:
            let (_, request) = baseline(&context, [.ping, .query])
            let field = context.pick(["Tongban-Request-Id", "Content-Type", "Signature-Input", "Signature"])
            let value = request.field(field)!
            let cut = value.utf8.count / 2
            let bytes = Self.replacing(request.bytes(), "\(field): \(value)",
                                       with: Array("\(field): ".utf8) + Array(value.utf8.prefix(cut)) + bad + Array(value.utf8.dropFirst(cut)))
            return [context.make("\(name) inside \(field)", bytes: bytes, .reject, fresh: true)]
        case 5:
            // Signed as sent: the percent-encoded form names no endpoint.
            let encoded = bad.map { "%" + String(format: "%02X", $0) }.joined()
            let path = context.pick(["/v1/ping" + encoded, "/v1/" + encoded + "ping", "/v1" + encoded + "ping", "/v1/query" + encoded])
            let body = Array("{}".utf8)
            let request = signed(&context, method: "POST", target: path, body: body)
            return [context.make("\(name) percent-encoded in a signed path \(path)", request, .refused)]
        case 6:
            // Raw bytes inside a JSON string of a validly signed query.
            let field = context.pick(["resource", "matter", "departmentName", "operatorId", "subject"])
            let json = field == "resource" ? queryJSON(resource: "\"1010010\u{1}001\"")
                : field == "matter" ? queryJSON(matter: "\"medical\u{1}registration\"")
                : field == "subject" ? queryJSON(subjects: "[\"3101011980\u{1}05120235\"]")
                : queryJSON(requester: field == "departmentName" ? #"{"departmentCode":"11010500","departmentName":"朝阳区\#u{1}公安分局","operatorId":"op-1"}"#
                    : #"{"departmentCode":"11010500","departmentName":"朝阳区公安分局","operatorId":"op\#u{1}1"}"#)
            let body = Self.replacing(Array(json.utf8), "\u{1}", with: bad)
            let request = signed(&context, method: "POST", target: "/v1/query", body: body)
            return [context.make("\(name) raw in the JSON string \(field)", request, .refuse([400]))]
        case 7:
            // Escaped NUL: valid JSON, but no such resource, matter or subject.
            let json = context.pick([queryJSON(resource: #""1010010001\u0000""#), queryJSON(matter: #""medical-registration\u0000""#),
                                     queryJSON(subjects: #"["\u0000310101198005120235"]"#), queryJSON(resource: #""10100\u00001""#)])
            let request = signed(&context, method: "POST", target: "/v1/query", body: Array(json.utf8))
            return [context.make("\\u0000 in a JSON string that names something", request, .refused)]
        case 8:
            let json = queryJSON(requester: #"{"departmentCode":"11010500","departmentName":"朝阳区\u0000公安分局","operatorId":"op\u00001"}"#)
            let request = signed(&context, method: "POST", target: "/v1/query", body: Array(json.utf8))
            return [context.make("\\u0000 in free-text requester fields", request, .neutral)]
        case 9:
            let body = bad + Array(queryJSON().utf8)
            let request = signed(&context, method: "POST", target: "/v1/query", body: body)
            return [context.make("\(name) before the JSON body", request, .refuse([400]))]
        case 10:
            // An overlong encoding of a character the field needs: never read as that character.
            let json = Self.replacing(Array(queryJSON().utf8), "\"1010010001\"", with: Array("\"101001000".utf8) + [0xC0, 0xB1] + [0x22])
            let request = signed(&context, method: "POST", target: "/v1/query", body: json)
            return [context.make("overlong 1 (C0 B1) completing the resource code", request, .refuse([400]))]
        case 11:
            let (_, request) = baseline(&context, [.ping, .catalogue])
            let bytes = Self.replacing(request.bytes(), "HTTP/1.1\r\n", with: Array("HTTP/1.1".utf8) + bad + [13, 10])
            return [context.make("\(name) after the version", bytes: bytes, .reject, fresh: true)]
        case 12:
            // Valid non-ASCII where only ASCII is expected, signed as sent.
            let path = context.pick(["/v1/通办", "/v1/ping/通办", "/v1/pіng"])
            let request = signed(&context, method: "POST", target: path, body: Array("{}".utf8))
            return [context.make("UTF-8 in a signed path \(path)", request, .reject, fresh: true)]
        default:
            let id = context.pick(["通办-\(context.uuid())", context.uuid().replacingOccurrences(of: "-", with: "‐"), "\(context.uuid())\u{0}"])
            let (endpoint, _) = baseline(&context, [.ping])
            let request = signed(&context, method: endpoint.method, target: endpoint.path, body: Array("{}".utf8), requestID: id)
            return [context.make("a signed request id with non-ASCII or NUL", request, id.hasSuffix("\u{0}") ? .reject : .refuse([400]),
                                 fresh: true)]
        }
    }

    /// `bytes` with the first occurrence of `text` replaced (unchanged when absent).
    static func replacing(_ bytes: [UInt8], _ text: String, with replacement: [UInt8]) -> [UInt8] {
        let needle = Array(text.utf8)
        guard let range = bytes.firstRange(of: needle) else { return bytes }
        return Array(bytes[..<range.lowerBound]) + replacement + Array(bytes[range.upperBound...])
    }
}
