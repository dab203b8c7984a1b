import Foundation
import TongbanSigning

extension HostileGenerator {
    /// Every covered component, and the signature's parameters, bytes, label, age and key, changed after signing.
    func signedComponent(_ context: inout Context) -> [HostileCase] {
        var (endpoint, request) = baseline(&context)
        let hasBody = !request.body.isEmpty
        let route = "\(endpoint.method) \(endpoint.path)"
        switch context.int(0...19) {
        case 0:
            let other = context.pick(["PUT", "PATCH", "DELETE", endpoint.method == "GET" ? "POST" : "GET", "HEAD", "OPTIONS"])
            request.method = other
            return [context.make("@method \(endpoint.method) sent as \(other)", request, .refused, fresh: other == "HEAD")]
        case 1:
            let port = peerAuthority.split(separator: ":").last!
            let host = context.pick(["127.0.0.1:1", "localhost:\(port)", "evil.example", "127.0.0.2:\(port)", "[::1]:\(port)", "127.0.0.1"])
            request.setField("Host", host)
            return [context.make("@authority changed to \(host) (\(route))", request, .refused)]
        case 2:
            // Signed for another gateway (a name not in the answering gateway's certificate): refused though it verifies.
            let host = context.pick(["evil.example", "evil.example:\(peerAuthority.split(separator: ":").last!)", "gw.sh.example"])
            let body = validBody(endpoint, &context)
            let sent = signed(&context, method: endpoint.method, target: endpoint.path, body: body, authority: host)
            return [context.make("@authority \(host) signed and sent (\(route))", sent, .refuse([421]))]
        case 3:
            // Host names compare case-insensitively: the same authority in capitals.
            let port = peerAuthority.split(separator: ":").last!
            let body = validBody(endpoint, &context)
            let sent = signed(&context, method: endpoint.method, target: endpoint.path, body: body, authority: "LocalHost:\(port)",
                              signedAuthority: "localhost:\(port)")
            return [context.make("@authority in capitals (\(route))", sent, .neutral)]
        case 4:
            let last = String(endpoint.path.dropFirst(4))
            let escaped = "%" + String(last.utf8.first!, radix: 16).uppercased() + last.dropFirst()
            let spelling = context.pick([endpoint.path + "/", "/v1/./" + last, "/" + endpoint.path, "/v1//" + last, endpoint.path.uppercased(),
                                         "/v1/x/../" + last, "/v1/" + escaped, "/v1/ping", "/v1/query", "/v1/catalogue"].filter { $0 != endpoint.path })
            request.target = spelling
            return [context.make("@path \(endpoint.path) sent as \(spelling)", request, .refused)]
        case 5:
            let query = context.pick(["?a=1", "?&", "??", "?a", "?%00", "?tongban-request-id=x"])
            request.target += query
            return [context.make("@query \(query) added (\(route))", request, .refused)]
        case 6:
            // `?` alone is the empty query RFC 9421 §2.2.7 gives a request without one: the same signature base.
            request.target += "?"
            return [context.make("@query ? added (equivalent) (\(route))", request, .neutral)]
        case 7:
            let body = validBody(endpoint, &context)
            let signedQuery = "?a=1"
            let sentQuery = context.pick(["?a=2", "?A=1", "?a=1&a=1", "", "?a=%31", "?b=1"])
            let sent = signed(&context, method: endpoint.method, target: endpoint.path + sentQuery, body: body,
                              signedTarget: endpoint.path + signedQuery)
            return [context.make("@query signed \(signedQuery) sent \(sentQuery.isEmpty ? "none" : sentQuery) (\(route))", sent, .refused)]
        case 8:
            let id = request.field("Tongban-Request-Id")!
            let changed = context.pick([id.uppercased(), String(id.dropLast()) + (id.last == "0" ? "1" : "0"), context.uuid(),
                                        "{" + id + "}", "urn:uuid:" + id])
            request.setField("Tongban-Request-Id", changed)
            return [context.make("tongban-request-id changed to \(changed) (\(route))", request, .refused)]
        case 9:
            let name = context.pick(hasBody ? ["Tongban-Request-Id", "Content-Digest", "Content-Type", "Host"] : ["Tongban-Request-Id", "Host"])
            request.removeField(name)
            return [context.make("covered \(name) removed (\(route))", request, .refused)]
        case 10 where hasBody:
            let digest = context.pick([ContentDigest.field(for: Array("{}".utf8)), ContentDigest.field(for: request.body, algorithms: [.sha512]),
                                       ContentDigest.field(for: request.body, algorithms: [.sha256, .sha512]),
                                       ContentDigest.field(for: request.body) + ", md5=:AAAAAAAAAAAAAAAAAAAAAA==:"])
            request.setField("Content-Digest", digest)
            return [context.make("content-digest changed to \(digest.prefix(40))… (\(route))", request, .refused)]
        case 11 where hasBody:
            let type = context.pick(["text/plain", "application/json; charset=utf-8", "Application/JSON", "application/problem+json",
                                     "application/x-www-form-urlencoded", "application/json "])
            request.setField("Content-Type", type)
            // A trailing space is trimmed by every parser: the same value.
            return [context.make("content-type changed to \(type) (\(route))", request, type.hasSuffix(" ") ? .neutral : .refused)]
        case 12:
            let offset = context.pick([-302, -400, -86_400, 32, 300, 86_400 * 365])
            let body = validBody(endpoint, &context)
            let sent = signed(&context, method: endpoint.method, target: endpoint.path, body: body, created: Date().addingTimeInterval(Double(offset)))
            return [context.make("created \(offset) s from now (\(route))", sent, .refuse([401]))]
        case 13:
            let body = validBody(endpoint, &context)
            let (key, status) = context.chance(0.5) ? (otherProvinceSigner, 403) : (unlistedSigner, 401)
            let sent = signed(&context, method: endpoint.method, target: endpoint.path, body: body, signer: key)
            return [context.make(status == 403 ? "signed with another province's key (\(route))" : "signed with a key no manifest lists (\(route))",
                                 sent, .refuse([status]))]
        case 14:
            let input = request.field("Signature-Input")!
            let alg = context.pick(["ed25519", "sm2-sm3", "hmac-sha256", "rsa-pss-sha512", "ecdsa-p384-sha384", ""])
            request.setField("Signature-Input", input.replacingOccurrences(of: "ecdsa-p256-sha256", with: alg))
            return [context.make("alg changed to \"\(alg)\" (\(route))", request, .refuse([401]))]
        case 15:
            let signature = request.field("Signature")!
            var bytes = Array(Data(base64Encoded: String(signature.dropFirst("tongban=:".count).dropLast()))!)
            let how: String
            switch context.int(0...3) {
            case 0:
                let bit = context.int(0...(bytes.count * 8 - 1))
                bytes[bit / 8] ^= UInt8(1 << (bit % 8))
                how = "bit \(bit) flipped"
            case 1: bytes.removeLast(context.int(1...8)); how = "truncated"
            case 2: bytes += [0]; how = "one byte appended"
            default: bytes = Array(bytes[32...] + bytes[..<32]); how = "halves swapped"
            }
            request.setField("Signature", "tongban=:\(Data(bytes).base64EncodedString()):")
            return [context.make("signature \(how) (\(route))", request, .refuse([401]))]
        case 16:
            let body = validBody(endpoint, &context)
            let required = TongbanProfile.requestComponents(hasBody: !body.isEmpty)
            let dropped = context.pick(required)
            let sent = signed(&context, method: endpoint.method, target: endpoint.path, body: body,
                              components: required.filter { $0 != dropped })
            return [context.make("\(dropped) not covered (\(route))", sent, .refuse([401]))]
        case 17:
            request.removeField("Signature")
            if context.chance(0.5) { request.removeField("Signature-Input") }
            return [context.make("signature removed (\(route))", request, .refuse([401]))]
        case 18:
            // The same request twice: the first is served, the second is a replay.
            var first = context.make("replay: first sending (\(route))", request, .accept)
            first = HostileCase(index: first.index, hostileClass: .control, name: first.name, target: .peer, bytes: first.bytes,
                                verdict: .accept)
            return [first, context.make("replay: the same request again (\(route))", request, .refuse([409]))]
        default:
            // A covered field beyond the profile, present and signed: a valid signature that covers more.
            let body = validBody(endpoint, &context)
            let sent = signed(&context, method: endpoint.method, target: endpoint.path, body: body, extra: [("X-Case", "\(context.index)")],
                              components: TongbanProfile.requestComponents(hasBody: !body.isEmpty) + [ComponentIdentifier("x-case")])
            return [context.make("an extra covered field (\(route))", sent, .neutral)]
        }
    }

    /// Structured-field syntax in `Signature-Input` and `Signature`, the signature not made again: parameters,
    /// duplicate labels, odd whitespace, odd case, huge integers, non-ASCII.
    func structuredField(_ context: inout Context) -> [HostileCase] {
        var (endpoint, request) = baseline(&context)
        let route = "\(endpoint.method) \(endpoint.path)"
        let input = request.field("Signature-Input")!
        let signature = request.field("Signature")!
        let member = String(input.dropFirst("tongban=".count))  // (…);created=…;keyid="…";alg="…"
        let created = Int(member.split(separator: ";").first { $0.hasPrefix("created=") }!.dropFirst("created=".count))!
        let list = String(member.prefix { $0 != ";" })  // ("@method" … )
        let params = String(member.dropFirst(list.count))  // ;created=…;keyid=…;alg=…
        func setInput(_ value: String) { request.setField("Signature-Input", value) }
        func setSignature(_ value: String) { request.setField("Signature", value) }
        var verdict = HostileVerdict.refuse([401])
        let name: String
        switch context.int(0...39) {
        // Parameters.
        case 0: setInput("tongban=" + list + params.replacingOccurrences(of: "created=\(created)", with: "created=\(created + 1)")); name = "created + 1"
        case 1: setInput(input + ";nonce=\"\(context.uuid())\""); name = "nonce added"
        case 2: setInput(input + ";expires=\(created + 3600)"); name = "expires added"
        case 3: setInput(input + ";tag=\"tongban\""); name = "tag added"
        case 4:
            let parts = params.split(separator: ";").map(String.init)
            setInput("tongban=" + list + ";" + parts.reversed().joined(separator: ";")); name = "parameters reordered"
        case 5:
            let drop = context.pick(["created", "keyid", "alg"])
            setInput("tongban=" + list + params.split(separator: ";").filter { !$0.hasPrefix(drop + "=") }.map { ";" + $0 }.joined())
            name = "\(drop) removed"
        case 6:
            // A repeated parameter: the last value wins, in the first one's place (RFC 9651 §4.2.3.2).
            setInput(input + ";created=\(created)"); name = "created repeated with its value"; verdict = .neutral
        case 7: setInput(input + ";created=\(created - 10)"); name = "created repeated with another value"
        // Huge and odd integers.
        case 8:
            let value = context.pick(["999999999999999", "-999999999999999", "1000000000000000", "99999999999999999999999999", "-1", "0",
                                      "\(created).5", "\"\(created)\"", "?1", ":AAAA:", "1e9", "0x10", "\(created)0", "+\(created)", "-0",
                                      String(repeating: "9", count: 5000)])
            setInput("tongban=" + list + params.replacingOccurrences(of: "created=\(created)", with: "created=\(value)"))
            name = "created=\(value.prefix(30))"
        case 9:
            let value = context.pick(["999999999999999", "-999999999999999", "10000000000000000", "-1", "0"])
            setInput(input + ";expires=\(value)"); name = "expires=\(value)"
        // Duplicate labels.
        case 10: setInput(input + ", " + input.replacingOccurrences(of: "created=\(created)", with: "created=\(created - 1)"))
            name = "a second tongban input, altered, last"
        case 11: setInput(input.replacingOccurrences(of: "created=\(created)", with: "created=\(created - 1)") + ", " + input)
            name = "a second tongban input, altered, first (the last wins)"; verdict = .neutral
        case 12: setSignature(signature + ", tongban=:\(Data(repeating: 7, count: 64).base64EncodedString()):")
            name = "a second tongban signature, forged, last"
        case 13: setSignature("tongban=:\(Data(repeating: 7, count: 64).base64EncodedString()):, " + signature)
            name = "a second tongban signature, forged, first (the last wins)"; verdict = .neutral
        case 14: setInput(input + ", other=" + list + ";created=\(created)"); setSignature(signature + ", other=:AAAA:")
            name = "another label beside tongban"; verdict = .neutral
        case 15: setInput(input + ", " + input); setSignature(signature + ", " + signature); name = "both members repeated"; verdict = .neutral
        // Odd whitespace.
        case 16: setInput("tongban= " + member); name = "space after ="
        case 17: setInput("tongban =" + member); name = "space before ="
        case 18: setInput("tongban=" + list.replacingOccurrences(of: "\" \"", with: "\"   \"") + params)
            name = "several spaces between components"; verdict = .neutral
        case 19: setInput("tongban=" + list.replacingOccurrences(of: "\" \"", with: "\"\t\"") + params); name = "tab between components"
        case 20: setInput("tongban=" + list + params.replacingOccurrences(of: ";", with: "; ")); name = "space after each ;"; verdict = .neutral
        case 21: setInput("tongban=" + list + params.replacingOccurrences(of: ";", with: " ;")); name = "space before each ;"
        case 22: setInput("  " + input + "\t "); name = "spaces around the field value"; verdict = .neutral
        case 23: setInput(", " + input); name = "leading comma"
        case 24: setInput(input + ","); name = "trailing comma"
        case 25: setSignature("tongban=: " + signature.dropFirst("tongban=:".count)); name = "space inside the byte sequence"
        case 26: setInput("tongban=( " + list.dropFirst() + params); name = "space after ("; verdict = .neutral
        // Odd case.
        case 27:
            let label = context.pick(["Tongban", "TONGBAN", "tongBan"])
            setInput(label + "=" + member); setSignature(label + "=" + signature.dropFirst("tongban=".count)); name = "label \(label)"
        case 28:
            let component = context.pick(["@method", "@authority", "@path", "tongban-request-id"])
            setInput(input.replacingOccurrences(of: "\"\(component)\"", with: "\"\(component.uppercased())\"")); name = "component \(component) in capitals"
        case 29:
            let parameter = context.pick(["created", "keyid", "alg"])
            setInput(input.replacingOccurrences(of: ";\(parameter)=", with: ";\(parameter.uppercased())=")); name = "parameter \(parameter) in capitals"
        case 30: setInput(input.replacingOccurrences(of: "ecdsa-p256-sha256", with: "ECDSA-P256-SHA256")); name = "alg in capitals"
        case 31:
            let keyid = member.split(separator: ";").first { $0.hasPrefix("keyid=") }!
            setInput(input.replacingOccurrences(of: String(keyid), with: keyid.uppercased().replacingOccurrences(of: "KEYID", with: "keyid")))
            name = "keyid in capitals"
        // Non-ASCII.
        case 32:
            let text = context.pick(["keyid=\"密钥\"", "keyid=\"ключ\"", "alg=\"ecdsa‐p256‐sha256\"", "alg=ecdsa-p256-sha256\u{00A0}"])
            let parameter = String(text.prefix { $0 != "=" })
            let current = member.split(separator: ";").first { $0.hasPrefix(parameter + "=") }!
            setInput(input.replacingOccurrences(of: String(current), with: text)); name = "non-ASCII \(text)"
        case 33:
            let label = context.pick(["通办", "tongbän", "tongban\u{200B}"])
            setInput(label + "=" + member); setSignature(label + "=" + signature.dropFirst("tongban=".count)); name = "non-ASCII label \(label)"
        case 34: setInput(input.replacingOccurrences(of: "\"@method\"", with: "\"@méthod\"")); name = "non-ASCII component"
        case 35:
            let bytes = context.pick([":äöü:", ":\u{FF1A}AAAA\u{FF1A}", "::", ":", "abc", "\"abc\"", "42", ":" + String(repeating: "A", count: 100_00) + ":"])
            setSignature("tongban=" + bytes); name = "signature member \(bytes.prefix(12))"
        // Shapes.
        case 36:
            let value = context.pick(["\"@method\"", "()", "(\"@method\" \"@method\" \"@authority\" \"@path\" \"@query\" \"tongban-request-id\")",
                                      "(@method)", "(\"@method\";req)", "((\"@method\"))"])
            setInput("tongban=" + value + params); name = "input member \(value.prefix(24))"
        case 37:
            let url = signature.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            setSignature(url == signature ? signature.replacingOccurrences(of: "=:", with: "=:-") : url); name = "base64url alphabet"
        case 38:
            let many = (0..<context.pick([200, 2_000])).map { "\"x-\($0)\"" }.joined(separator: " ")
            setInput("tongban=(" + list.dropFirst().dropLast() + " " + many + ")" + params); name = "many components"; verdict = .refused
        default:
            setInput(input + ";keyid=\"\""); name = "keyid repeated, empty"
        }
        return [context.make("\(name) (\(route))", request, verdict)]
    }
}
