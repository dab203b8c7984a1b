import Foundation
import NIOCore
import TongbanClient
import TongbanSigning
import TongbanTestKit

extension HostileGenerator {
    /// The body changed under a valid digest (the digest made again, the signature not) or under a valid signature
    /// (nothing made again), and the body's framing.
    func body(_ context: inout Context) -> [HostileCase] {
        var (endpoint, request) = baseline(&context, [.ping, .query, .verify])
        let route = "\(endpoint.method) \(endpoint.path)"
        let original = request.body
        func changed() -> [UInt8] {
            switch context.int(0...4) {
            case 0: return original + [0x20]
            case 1: return Array(original.dropLast())
            case 2: return Array(String(decoding: original, as: UTF8.self).replacingOccurrences(of: "1", with: "2").utf8)
                + (original.contains(UInt8(ascii: "1")) ? [] : [0x0A])
            case 3: return Array("{}".utf8)
            default: return Array(original.reversed())
            }
        }
        switch context.int(0...12) {
        case 0, 1:
            request.body = changed()
            return [context.make("body changed under a valid signature (\(route))", request, .refuse([400]))]
        case 2, 3:
            request.body = changed()
            request.setField("Content-Digest", ContentDigest.field(for: request.body))
            return [context.make("body changed under a valid digest (\(route))", request, .refuse([401]))]
        case 4:
            // The body left out, its covered Content-Digest and Content-Type kept: the digest names other content.
            request.body = []
            request.framing = context.chance(0.5) ? .contentLength : .none
            return [context.make("body removed, its digest kept (\(route))", request, .refuse([400]))]
        case 5:
            // Sent chunked: the same content, other framing.
            let size = context.pick([1, 7, 64, 4096])
            request.framing = .chunked(size: size, trailers: context.chance(0.3) ? ["X-Trailer: 1"] : [])
            return [context.make("body chunked by \(size) (\(route))", request, .neutral)]
        case 6:
            request.framing = .chunked(size: 16, trailers: ["Content-Digest: \(ContentDigest.field(for: Array("{}".utf8)))"])
            return [context.make("chunked with another Content-Digest as a trailer (\(route))", request, .tolerate, fresh: true)]
        case 7:
            // Content-Length shorter than what is sent: the rest is a second, broken request.
            request.framing = .none
            let cut = context.int(1...max(1, original.count - 1))
            request.fields.append(("Content-Length", "\(cut)"))
            return [context.make("Content-Length \(cut) of \(original.count) (\(route))", request, .refuse([400]), fresh: true)]
        case 8:
            // A digest of every supported algorithm, one of them wrong, signed.
            let digest = ContentDigest.field(for: original) + ", sha-512=:" + Data(repeating: 1, count: 64).base64EncodedString() + ":"
            let sent = signed(&context, method: endpoint.method, target: endpoint.path, body: original, digest: digest)
            return [context.make("a signed digest list with one wrong member (\(route))", sent, .refuse([400]))]
        case 9:
            // A signed digest of an algorithm this gateway does not know only: nothing is checked, so nothing is accepted.
            let digest = "md5=:" + Data(repeating: 1, count: 16).base64EncodedString() + ":"
            let sent = signed(&context, method: endpoint.method, target: endpoint.path, body: original, digest: digest)
            return [context.make("a signed digest of an unknown algorithm only (\(route))", sent, .refuse([400]))]
        case 10:
            let digest = context.pick(["sha-256=:AAAA", "sha-256=\"x\"", "sha-256=:" + String(repeating: "A", count: 10_000) + ":", "", "sha-256"])
            let sent = signed(&context, method: endpoint.method, target: endpoint.path, body: original, digest: digest)
            return [context.make("a signed malformed digest \(digest.prefix(16)) (\(route))", sent, .refuse([400]))]
        case 11:
            // A chunked body whose framing breaks after the head was read: the body's parse fails under the handler.
            let broken = context.pick(["zz\r\n{}\r\n0\r\n\r\n", "5\r\n{}\r\n0\r\n\r\n", "-1\r\n{}\r\n0\r\n\r\n",
                                       "ffffffffffffffffff\r\n{}\r\n0\r\n\r\n", "2\r\n{}0\r\n\r\n"])
            request.framing = .none
            request.fields.append(("Transfer-Encoding", "chunked"))
            request.body = Array(broken.utf8)
            return [context.make("a broken chunk \(broken.prefix(6).debugDescription) (\(route))", request, .reject, fresh: true)]
        default:
            // A body on a GET, signed with its digest.
            let body = Array(#"{"n":1}"#.utf8)
            let sent = signed(&context, method: "GET", target: "/v1/catalogue", body: body)
            return [context.make("a signed body on GET /v1/catalogue", sent, .neutral)]
        }
    }

    /// `Content-Encoding` tricks on a validly signed query (the digest and the signature cover the coded bytes).
    func contentCoding(_ context: inout Context) -> [HostileCase] {
        let json = Array(queryJSON().utf8)
        func send(_ name: String, _ body: [UInt8], _ codings: [String], _ verdict: HostileVerdict) -> [HostileCase] {
            let extra = codings.map { (name: "Content-Encoding", value: $0) }
            let request = signed(&context, method: "POST", target: "/v1/query", body: body, extra: extra)
            return [context.make(name, request, verdict)]
        }
        switch context.int(0...13) {
        case 0: return send("gzip", Self.gzip(json), ["gzip"], .neutral)
        case 1: return send("deflate", Self.deflate(json), ["deflate"], .neutral)
        case 2: return send("GZIP in capitals", Self.gzip(json), ["GZIP"], .neutral)
        case 3: return send("identity", json, ["identity"], .neutral)
        case 4:
            let coding = context.pick(["br", "compress", "x-gzip", "zstd", "gzip, gzip", "gzip;q=1", "", "*", "gzip, identity", "identity, gzip"])
            return send("Content-Encoding \(coding.debugDescription)", Self.gzip(json), [coding], .refuse([415]))
        case 5: return send("gzip named twice in two fields", Self.gzip(Self.gzip(json)), ["gzip", "gzip"], .refuse([415]))
        case 6: return send("gzip named, plain JSON sent", json, ["gzip"], .refuse([400]))
        case 7:
            let coded = Self.gzip(json)
            return send("gzip cut short", Array(coded.prefix(context.int(1...(coded.count - 1)))), ["gzip"], .refuse([400]))
        case 8:
            let (name, bomb) = context.chance(0.5) ? ("gzip", Self.gzipBomb) : ("deflate", Self.deflateBomb)
            return send("\(name) bomb (\(bomb.count) bytes inflating past 16 MiB)", bomb, [name], .refuse([413]))
        case 9: return send("gzip of a body that is not JSON", Self.gzip(Array("not json".utf8)), ["gzip"], .refuse([400]))
        case 10: return send("gzip bytes, no Content-Encoding", Self.gzip(json), [], .refuse([400]))
        case 11: return send("gzip twice, named once", Self.gzip(Self.gzip(json)), ["gzip"], .refuse([400]))
        case 12:
            var corrupt = Self.gzip(json)
            corrupt[corrupt.count / 2] ^= 0xFF
            return send("gzip with a corrupt byte", corrupt, ["gzip"], .refused)
        default:
            return send("gzip followed by garbage", Self.gzip(json) + Array("garbage".utf8), ["gzip"], .neutral)
        }
    }

    static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        Array((try! ContentCoding.gzip.encode(ByteBuffer(bytes: bytes))).readableBytesView)
    }

    static func deflate(_ bytes: [UInt8]) -> [UInt8] {
        Array((try! ContentCoding.deflate.encode(ByteBuffer(bytes: bytes))).readableBytesView)
    }

    /// 17 MiB of spaces, coded: past the 16 MiB `limits.maxDecompressedBytes`.
    static let gzipBomb = gzip([UInt8](repeating: 0x20, count: 17 << 20))
    static let deflateBomb = deflate([UInt8](repeating: 0x20, count: 17 << 20))

    /// Validly signed JSON of the wrong type, nested deep, with huge numbers, or not quite JSON, on the endpoints
    /// that decode it.
    func json(_ context: inout Context) -> [HostileCase] {
        let person = "\"\(self.person)\""
        let deep = { (depth: Int, open: String, close: String, inner: String) in
            String(repeating: open, count: depth) + inner + String(repeating: close, count: depth)
        }
        var verdict = HostileVerdict.refuse([400])
        var target = "/v1/query"
        let body: String
        let name: String
        switch context.int(0...27) {
        case 0:
            let value = context.pick(["1010010001", "[\"1010010001\"]", "{\"code\":\"1010010001\"}", "null", "true", "1.010010001e9"])
            body = queryJSON(resource: value); name = "resource as \(value)"
        case 1:
            let value = context.pick(["1", "[\"medical-registration\"]", "null", "{}", "false"])
            body = queryJSON(matter: value); name = "matter as \(value)"
        case 2:
            let value = context.pick([person, "{\"0\":\(person)}", "null", "[310101198005120235]", "[[\(person)]]", "[null]", "[true]",
                                      "[{\"id\":\(person)}]", "310101198005120235"])
            body = queryJSON(subjects: value); name = "subjects as \(value.prefix(30))"
        case 3:
            let value = context.pick(["\"朝阳区公安分局\"", "[]", "null", "1",
                                      #"{"departmentCode":11010500,"departmentName":"朝阳区公安分局","operatorId":"op-1"}"#,
                                      #"{"departmentCode":"11010500","departmentName":["朝阳区公安分局"],"operatorId":"op-1"}"#,
                                      #"{"departmentCode":"11010500","departmentName":"朝阳区公安分局","operatorId":7}"#])
            body = queryJSON(requester: value); name = "requester as \(value.prefix(40))"
        case 4:
            let value = context.pick([#","fields":"name""#, #","fields":[1]"#, #","caseReference":1"#, #","caseReference":["x"]"#,
                                      #","fields":{"name":true}"#])
            body = queryJSON(extra: value); name = "optional member as \(value)"
        case 5:
            let value = context.pick(["[]", "\"x\"", "1", "null", "true", "", " ", "[" + queryJSON() + "]", "{}"])
            body = value; name = "top level \(value.prefix(20).debugDescription)"
            if value.trimmingCharacters(in: .whitespaces).isEmpty { verdict = .refused }
        case 6:
            let depth = context.pick([100, 1_000, 10_000, 100_000])
            body = queryJSON(subjects: deep(depth, "[", "]", person)); name = "subjects nested \(depth) deep"
        case 7:
            let depth = context.pick([1_000, 100_000])
            body = queryJSON(resource: deep(depth, "{\"a\":", "}", "1")); name = "resource nested \(depth) objects deep"
        case 8:
            let depth = context.pick([10_000, 200_000])
            body = deep(depth, "[", "]", ""); name = "top-level array nested \(depth) deep"
        case 9:
            // Deep nesting in a member nobody reads: refused by a depth limit, or skipped; never a crash.
            let depth = context.pick([64, 1_000, 50_000])
            body = queryJSON(extra: ",\"x\":" + deep(depth, "[", "]", "")); name = "unknown member nested \(depth) deep"; verdict = .neutral
        case 10:
            let value = context.pick(["1e999", "-1e999", "123456789012345678901234567890", "1e-999", "-0", "0.0000000000000000000001",
                                      String(repeating: "9", count: 100_000)])
            body = queryJSON(extra: ",\"x\":" + value); name = "unknown member huge number \(value.prefix(20))"; verdict = .neutral
        case 11:
            let value = context.pick(["1e999", "123456789012345678901234567890", String(repeating: "9", count: 10_000)])
            body = queryJSON(subjects: "[\(value)]"); name = "subject as huge number \(value.prefix(20))"
        case 12:
            let value = context.pick(["\"90\"", "1e999", "-1", "0", "9223372036854775808", "-9223372036854775809", "90.5", "1e2", "3651",
                                      String(repeating: "9", count: 400), "null", "[90]"])
            body = applicationJSON(days: value); target = "/v1/applications"; name = "application days \(value.prefix(20))"
            // 1e2 is 100 in JSON's own terms: a decoder may read it as an integer.
            if value == "1e2" { verdict = .neutral }
            else { verdict = .refuse([400]) }
        case 13:
            let value = context.pick(["1", "null", "[\"A-11-0000000000000001\"]", "\"A-31-0000000000000001\"", "\"\"", "\"A-11-\""])
            body = applicationJSON(id: value); target = "/v1/applications"; name = "application id \(value)"
        case 14:
            let value = context.pick(["[\"王小明\"]", "{\"name\":1}", "{\"name\":null}", "{\"name\":[\"王小明\"]}", "\"name\"", "null"])
            body = verifyJSON(claims: value); target = "/v1/verify"; name = "claims as \(value)"
        case 15:
            let value = context.pick(["310101198005120235", "[\(person)]", "null", "{}"])
            body = verifyJSON(subject: value); target = "/v1/verify"; name = "verify subject as \(value.prefix(24))"
        case 16:
            let field = context.pick(["subject", "field", "seen", "evidence"])
            body = correctionJSON(field, value: context.pick(["1", "null", "[]", "{}", "true"])); target = "/v1/corrections"
            name = "correction \(field) of another type"
        case 17:
            // Repeated keys: which one counts is the decoder's choice; it must not be a crash or a 5xx.
            body = queryJSON(resource: "\"9999999999\",\"resource\":\"\(TestCatalogue.household)\""); name = "resource repeated"; verdict = .neutral
        case 18: body = queryJSON() + ","; name = "trailing comma after the object"
        case 19: body = String(queryJSON().dropLast()); name = "object not closed"
        case 20: body = queryJSON() + "x"; name = "garbage after the object"
        case 21:
            let value = context.pick(["NaN", "Infinity", "-Infinity", "0x10", "01", "+1", ".5", "1.", "'x'", "undefined"])
            body = queryJSON(extra: ",\"x\":" + value); name = "not JSON: \(value)"
        case 22: body = queryJSON(extra: ",\"x\":\"\\x41\""); name = "invalid escape \\x"
        case 23: body = queryJSON(requester: #"{"departmentCode":"11010500","departmentName":"\ud800","operatorId":"op-1"}"#)
            name = "lone surrogate escape in a free-text field"; verdict = .neutral
        case 24: body = "\u{FEFF}" + queryJSON(); name = "byte order mark"; verdict = .neutral
        case 25: body = queryJSON(extra: ",\"x\":{\"y\":[1,2,{\"z\":null}]}"); name = "unknown members"; verdict = .neutral
        case 26:
            body = queryJSON(subjects: "[" + Array(repeating: person, count: context.pick([1_001, 5_000])).joined(separator: ",") + "]")
            name = "more subjects than the limit"
        default:
            body = queryJSON(subjects: "[" + Array(repeating: "\"\"", count: 3).joined(separator: ",") + "]"); name = "empty subjects"
        }
        let request = signed(&context, method: "POST", target: target, body: Array(body.utf8))
        return [context.make("\(name) (POST \(target))", request, verdict)]
    }

    func applicationJSON(id: String = "\"A-11-00000000000000aa\"", days: String = "90") -> String {
        #"{"id":\#(id),"resource":"\#(TestCatalogue.education)","matter":"degree-verification","fields":["idNumber","name","school"],"purpose":"核验学历","basis":"《政务数据共享条例》","days":\#(days),"contact":"张三 010-12345678","requester":\#(Self.requester)}"#
    }

    func correctionJSON(_ field: String, value: String) -> String {
        var members: [String: String] = [:]
        members["id"] = "\"C-11-00000000000000aa\""
        members["resource"] = "\"\(TestCatalogue.household)\""
        members["subject"] = "\"\(person)\""
        members["field"] = "\"name\""
        members["seen"] = "\"王小明\""
        members["claimed"] = "\"汪晓明\""
        members["evidence"] = "\"户口簿\""
        members["requester"] = Self.requester
        members[field] = value
        let pairs: [String] = members.keys.sorted().map { key in "\"" + key + "\":" + members[key]! }
        return "{" + pairs.joined(separator: ",") + "}"
    }
}
