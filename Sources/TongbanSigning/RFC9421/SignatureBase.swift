import Foundation
import RawStructuredFieldValues

/// The signature base of RFC 9421 §2.5: one line per covered component, then `"@signature-params"`.
public enum SignatureBase {
    /// - Parameters:
    ///   - message: the message being signed or verified.
    ///   - request: for a response, the request it answers (for components with `req`).
    public static func make(_ input: SignatureInput, message: HTTPMessageView, request: HTTPMessageView? = nil) throws(SignatureError) -> String {
        // One string written in place. Duplicates are found by comparing with the components before when there are a
        // handful (every Tongban signature), by hashing otherwise, so a crafted list of thousands stays linear.
        var base = ""
        base.reserveCapacity(512)
        let components = input.components
        var seen: Set<String> = []
        for (index, component) in components.enumerated() {
            let repeated = components.count <= 16
                ? components[..<index].contains { $0.serialized == component.serialized }
                : !seen.insert(component.serialized).inserted
            guard !repeated else { throw SignatureError(.invalid, "component \(component) is covered twice") }
            let source: HTTPMessageView
            if component.fromRequest {
                guard let request else { throw SignatureError(.incomplete, "\(component) needs the request, which is not available") }
                source = request
            } else {
                source = message
            }
            base += component.serialized
            base += ": "
            base += try value(of: component, in: source)
            base += "\n"
        }
        base += "\"@signature-params\": "
        base += input.serialized
        return base
    }

    static func value(of component: ComponentIdentifier, in message: HTTPMessageView) throws(SignatureError) -> String {
        let name = component.name
        if component.isDerived {
            switch (name, message.start) {
            case ("@method", .request(let method, _, _, _)): return method
            case ("@scheme", .request(_, let scheme, _, _)): return scheme.lowercased()
            case ("@authority", .request(_, _, let authority, _)): return authority.lowercased()
            case ("@target-uri", .request(_, let scheme, let authority, let target)): return "\(scheme.lowercased())://\(authority.lowercased())\(target)"
            case ("@request-target", .request(_, _, _, let target)): return target
            case ("@path", .request): return message.path!
            case ("@query", .request): return message.query!
            case ("@query-param", .request): return try queryParameter(component, message.query!)
            case ("@status", .response(let status)): return String(status)  // 100...599: always three digits
            default: throw SignatureError(.incomplete, "derived component \(name) does not apply to this message")
            }
        }
        guard let value = message.field(name) else { throw SignatureError(.incomplete, "covered field \(name) is absent") }
        guard let key = component.key else { return value }
        if let known = message.knownMembers[HTTPMessageView.knownMemberKey(name, key)] { return known }
        // `key`: the member of a structured dictionary field, re-serialised (RFC 9421 §2.1.2).
        guard let dictionary = try? StructuredDictionary.parse(value),
              let member = dictionary.first(where: { $0.0 == key })?.1 else {
            throw SignatureError(.incomplete, "field \(name) has no member \(key)")
        }
        guard let text = StructuredDictionary.serialize(member) else {
            throw SignatureError(.invalid, "member \(key) of \(name) cannot be serialised")
        }
        return text
    }

    /// `@query-param;name=…`: the value of the one parameter with that name, form-decoded then percent-encoded.
    static func queryParameter(_ component: ComponentIdentifier, _ query: String) throws(SignatureError) -> String {
        guard let wanted = component.queryName else { throw SignatureError(.invalid, "@query-param without name") }
        let pairs = query.dropFirst().split(separator: "&").map { pair -> (String, String) in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s) }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
        let matches = pairs.filter { $0.0 == wanted }
        guard matches.count == 1 else { throw SignatureError(.incomplete, "query parameter \(wanted) is absent or repeated") }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return matches[0].1.addingPercentEncoding(withAllowedCharacters: allowed) ?? matches[0].1
    }
}
