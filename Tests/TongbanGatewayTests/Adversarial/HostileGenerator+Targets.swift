import Foundation
import TongbanSigning
import TongbanTestKit

extension HostileGenerator {
    /// Path, query, method and version tricks, signed as sent (the signature holds; what it asks for is odd).
    func target(_ context: inout Context) -> [HostileCase] {
        let route = context.pick([("POST", "/v1/ping"), ("GET", "/v1/catalogue"), ("POST", "/v1/query")])
        let body: [UInt8] = route.0 == "POST" ? (route.1 == "/v1/query" ? Array(queryJSON().utf8) : Array("{}".utf8)) : []
        func sent(_ method: String, _ target: String, signedTarget: String? = nil) -> RawRequest {
            signed(&context, method: method, target: target, body: body, signedTarget: signedTarget)
        }
        switch context.int(0...15) {
        case 0:
            let path = route.1
            let spelling = context.pick([path + "/", "//" + path.dropFirst(), "/v1/." + path.dropFirst(3), "/v1/x/.." + path.dropFirst(3),
                                         path.uppercased(), path + ";x=1", path + "%20", path + "/.", "/v1/%2e" + path.dropFirst(3),
                                         path.replacingOccurrences(of: "/v1/", with: "/v1%2F")])
            return [context.make("path spelled \(spelling), signed as sent", sent(route.0, spelling), .neutral)]
        case 1:
            let path = context.pick(["/v1/ping/../../local/v1/catalogues", "/../v1/ping", "/v1/applications/..%2F..%2Fping", "/v1/applications/%2e%2e",
                                     "/v1/applications/A-11-0000000000000001%2F..%2Fwithdraw", "/v1/identity/../catalogue", "/metrics/../v1/ping"])
            return [context.make("dot segments towards another route \(path)", sent(route.0, path), .neutral)]
        case 2:
            let length = context.pick([2_000, 8_000, 20_000])
            let path = route.1 + "/" + String(repeating: "a", count: length)
            return [context.make("path of \(length) bytes", sent(route.0, path), length > 16_000 ? .reject : .refused, fresh: length > 16_000)]
        case 3:
            let query = context.pick(["?" + (0..<500).map { "a\($0)=\($0)" }.joined(separator: "&"), "?a=1&a=2&a=3", "?a=%", "?a=%ZZ", "?=",
                                      "?a=1#frag", "?a[]=1&a[b]=2", "?%00=%00", "?" + String(repeating: "%41", count: 2_000)])
            return [context.make("query \(query.prefix(24)), signed as sent", sent(route.0, route.1 + query), .neutral)]
        case 4:
            let method = context.pick(["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", route.0 == "GET" ? "POST" : "GET"])
            return [context.make("\(method) \(route.1), signed as sent", sent(method, route.1), .refused)]
        case 5:
            let request = signed(&context, method: "HEAD", target: "/v1/catalogue", body: [])
            return [context.make("HEAD /v1/catalogue, signed as sent", request, .tolerate, fresh: true)]
        case 6:
            let method = context.pick(["post", "Post", "PROPFIND", "MKCOL", "CONNECT", "BREW", String(repeating: "G", count: 200), "GET\t", "PO ST",
                                       "SEARCH", "QUERY"])
            return [context.make("method \(method.prefix(20).debugDescription), signed as sent", sent(method, route.1), .reject, fresh: true)]
        case 7:
            let version = context.pick(["HTTP/1.0", "HTTP/1.2", "HTTP/1.9"])
            var request = sent(route.0, route.1)
            request.version = version
            return [context.make("version \(version)", request, .tolerate, fresh: true)]
        case 8:
            let version = context.pick(["HTTP/2.0", "HTTP/3", "http/1.1", "HTTP/1", "HTTP/01.1", "HTTP/1.1 extra", "", "HTTP/0.9", "HTTPS/1.1"])
            var request = sent(route.0, route.1)
            request.version = version
            var bytes = request.bytes()
            if version.isEmpty { bytes = Self.replacing(bytes, " \r\n", with: [13, 10]) }
            return [context.make("version \(version.debugDescription)", bytes: bytes, .reject, fresh: true)]
        case 9:
            // The absolute form: RFC 9112 §3.2.2, a server must accept it.
            let target = "https://\(peerAuthority)\(route.1)"
            return [context.make("absolute-form target, signed for its path", sent(route.0, target, signedTarget: route.1), .neutral)]
        case 10:
            let target = context.pick(["*", peerAuthority, "v1/ping", "?a=1", "#x", "https://evil.example/v1/ping"])
            return [context.make("request target \(target)", sent(route.0, target), .reject, fresh: true)]
        case 11:
            let path = context.pick(["/v1/ping", "/v1/catalogue"])
            let signedPath = path == "/v1/ping" ? "/v1/catalogue" : "/v1/ping"
            return [context.make("signed for \(signedPath), sent to \(path)", sent(route.0, path, signedTarget: signedPath), .refused)]
        case 12:
            let header = context.pick([("X-HTTP-Method-Override", "DELETE"), ("X-Original-URL", "/metrics"), ("X-Rewrite-URL", "/local/v1/catalogues"),
                                       ("X-Forwarded-For", "10.0.0.1"), ("Forwarded", "for=1.2.3.4;host=evil.example"), ("X-Forwarded-Host", "evil.example")])
            let request = signed(&context, method: route.0, target: route.1, body: body, extra: [header])
            return [context.make("\(header.0): \(header.1)", request, .neutral)]
        case 13:
            // Two requests in one write (pipelining): each is answered in order.
            let first = sent(route.0, route.1).bytes()
            let second = sent(route.0, route.1).bytes()
            return [context.make("two requests in one write", bytes: first + second, .tolerate, fresh: true)]
        case 14:
            let path = context.pick(["/v1/applications/" + String(repeating: "A", count: 300), "/v1/applications/A-11-0000000000000001",
                                     "/v1/corrections/%00", "/v1/applications/" + "\u{0}".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
                                     "/v1/corrections/C-99-0000000000000001", "/v1/applications/'%20OR%201=1--"])
            let request = signed(&context, method: "GET", target: path, body: [])
            return [context.make("GET of an id \(path.prefix(40))", request, .refused)]
        default:
            let path = context.pick(["/v1/applications/A-11-0000000000000001/decision", "/v1/corrections/C-11-0000000000000001/outcome",
                                     "/v1/applications/A-11-0000000000000001/withdraw"])
            let request = signed(&context, method: "POST", target: path, body: Array(#"{"id":"x","state":"approved","decidedAt":"x"}"#.utf8))
            return [context.make("a workflow update about nothing \(path)", request, .refused)]
        }
    }

    /// Requests sent where they do not belong: peer requests to the local listener and the admin socket, local and
    /// admin requests to the peer listener, TLS where there is none, no TLS where it is required, the wrong identity.
    func wrongListener(_ context: inout Context) -> [HostileCase] {
        let adminPaths = [("GET", "/v1/status"), ("GET", "/v1/audit"), ("GET", "/v1/grants"), ("POST", "/v1/outbound/query?peer=11"),
                          ("POST", "/v1/import?resource=\(TestCatalogue.household)&format=csv"), ("POST", "/v1/reload"), ("GET", "/v1/peers"),
                          ("POST", "/v1/records/set"), ("GET", "/v1/usage"), ("POST", "/v1/federation/refresh")]
        let localPaths = [("GET", "/local/v1/catalogues"), ("POST", "/local/v1/peers/11/query"), ("GET", "/healthz"), ("GET", "/metrics"),
                          ("GET", "/local/v1/applications"), ("POST", "/local/v1/corrections")]
        let peerPaths: [(String, String)] = [("POST", "/v1/ping"), ("POST", "/v1/query"), ("GET", "/v1/catalogue"), ("GET", "/v1/identity"),
                                             ("POST", "/v1/verify")]
        func body(_ method: String, _ path: String) -> [UInt8] {
            method == "GET" ? [] : path.hasSuffix("/query") ? Array(queryJSON().utf8) : Array("{}".utf8)
        }
        switch context.int(0...9) {
        case 0, 1:
            // A local or admin request over mutual TLS to the peer listener, validly signed, with a department token.
            let (method, path) = context.pick(localPaths + adminPaths)
            let request = signed(&context, method: method, target: path, body: body(method, path),
                                 extra: [("Authorization", "Bearer \(departmentToken)")])
            return [context.make("\(method) \(path) on the peer listener, signed", request, .elsewhere)]
        case 2:
            let (method, path) = context.pick(peerPaths)
            let request = signed(&context, method: method, target: path, body: body(method, path), authority: localAuthority)
            return [context.make("\(method) \(path) on the local listener, signed", request, .elsewhere, target: .local)]
        case 3:
            let (method, path) = context.pick(adminPaths)
            let request = RawRequest(method: method, target: path, fields: [("Host", localAuthority), ("Authorization", "Bearer \(departmentToken)")],
                                     body: body(method, path))
            return [context.make("\(method) \(path) (admin) on the local listener", request, .elsewhere, target: .local)]
        case 4:
            let (method, path) = context.pick(peerPaths.filter { $0.1 != "/v1/identity" } + [("POST", "/v1/applications/A-11-0000000000000001/decision")])
            let request = signed(&context, method: method, target: path, body: body(method, path), authority: "localhost")
            return [context.make("\(method) \(path) on the admin socket, signed", request, .elsewhere, target: .admin)]
        case 5:
            let (endpoint, request) = baseline(&context)
            return [context.make("\(endpoint.method) \(endpoint.path) to the peer port without TLS", request, .elsewhere, target: .peerPlain, fresh: true)]
        case 6:
            let request = RawRequest(method: "GET", target: "/healthz", fields: [("Host", localAuthority)], body: [])
            return [context.make("TLS to the local listener", request, .elsewhere, target: .localTLS, fresh: true)]
        case 7:
            let (endpoint, request) = baseline(&context)
            return [context.make("\(endpoint.method) \(endpoint.path) over TLS without a client certificate", request, .elsewhere,
                                 target: .peerWithoutCertificate, fresh: true)]
        case 8:
            let (endpoint, request) = baseline(&context)
            return [context.make("\(endpoint.method) \(endpoint.path) with a certificate of another root", request, .elsewhere,
                                 target: .peerWithForeignCertificate, fresh: true)]
        default:
            // A local request with its token, unsigned, over mutual TLS.
            let (method, path) = context.pick(localPaths)
            let request = RawRequest(method: method, target: path, fields: [("Host", peerAuthority), ("Authorization", "Bearer \(departmentToken)")],
                                     body: body(method, path))
            return [context.make("\(method) \(path) on the peer listener, unsigned", request, .elsewhere)]
        }
    }
}
