import Foundation

extension SignatureFields {
    /// The two fields read without the structured-field parser when they are exactly what a signer writes: each
    /// field one member, `label=(…);params` and `label=:base64:`, the inner list's items plain component names with
    /// at most `req` and `key="…"`, its parameters among `created`, `expires`, `keyid`, `nonce`, `alg` and `tag`,
    /// each once. The input is then made from what was read and must serialise back to the member exactly: text the
    /// parser would read otherwise (another order, other spacing, escapes, an upper-case name) is not in canonical
    /// form and returns nil, and `read(label:from:)` parses it in full. So whatever this returns, the parser returns
    /// too (the `signature-fields` fuzz target holds the two to it).
    public static func readCanonical(label: String, input inputField: String, signature signatureField: String) -> (SignatureInput, [UInt8])? {
        let prefix = label + "="
        guard inputField.hasPrefix(prefix), signatureField.hasPrefix(prefix) else { return nil }
        let member = inputField.utf8.dropFirst(prefix.utf8.count)
        // The signature: `:base64:` and nothing else.
        let encoded = signatureField.utf8.dropFirst(prefix.utf8.count)
        guard encoded.count >= 2, encoded.first == UInt8(ascii: ":"), encoded.last == UInt8(ascii: ":") else { return nil }
        let base64 = encoded.dropFirst().dropLast()
        guard base64.allSatisfy(Self.isBase64), let signature = Data(base64Encoded: Data(base64)) else { return nil }
        // The inner list: `(` items separated by one space `)`.
        guard member.first == UInt8(ascii: "("), let close = member.firstIndex(of: UInt8(ascii: ")")) else { return nil }
        var components: [ComponentIdentifier] = []
        let items = member[member.index(after: member.startIndex)..<close]
        if !items.isEmpty {
            for text in items.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false) {
                guard let component = Self.component(text) else { return nil }
                components.append(component)
            }
        }
        // The parameters: `;name=value` each.
        var (created, expires, keyID, nonce, algorithm, tag): (Int64?, Int64?, String?, String?, String?, String?) = (nil, nil, nil, nil, nil, nil)
        var seen = Set<Substring>()
        for parameter in member[member.index(after: close)...].split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false).dropFirst() {
            guard let equals = parameter.firstIndex(of: UInt8(ascii: "=")) else { return nil }
            let name = Substring(parameter[..<equals]), value = parameter[parameter.index(after: equals)...]
            guard seen.insert(name).inserted else { return nil }
            switch name {
            case "created": guard let number = Self.integer(value) else { return nil }; created = number
            case "expires": guard let number = Self.integer(value) else { return nil }; expires = number
            case "keyid": guard let text = Self.string(value) else { return nil }; keyID = text
            case "nonce": guard let text = Self.string(value) else { return nil }; nonce = text
            case "alg": guard let text = Self.string(value) else { return nil }; algorithm = text
            case "tag": guard let text = Self.string(value) else { return nil }; tag = text
            default: return nil
            }
        }
        let input = SignatureInput(components: components, created: created, keyID: keyID, algorithm: algorithm, expires: expires,
                                   nonce: nonce, tag: tag)
        guard input.serialized.utf8.elementsEqual(member) else { return nil }
        return (input, Array(signature))
    }

    /// A component as a signer writes it: `"name"`, then optionally `;req` and `;key="…"`. Its identifier must
    /// serialise back to the text (`read` compares the whole member afterwards too).
    static func component(_ text: Substring.UTF8View.SubSequence) -> ComponentIdentifier? {
        if let known = Self.knownComponents[Substring(text)] { return known }
        guard text.first == UInt8(ascii: "\"") else { return nil }
        let parts = text.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false)
        guard let quoted = parts.first, let name = Self.string(quoted), !name.isEmpty else { return nil }
        var (req, key): (Bool, String?) = (false, nil)
        for parameter in parts.dropFirst() {
            if parameter.elementsEqual("req".utf8), !req { req = true; continue }
            guard key == nil, parameter.starts(with: "key=".utf8), let value = Self.string(parameter.dropFirst(4)) else { return nil }
            key = value
        }
        let component = ComponentIdentifier(name, req: req, key: key)
        return component.serialized.utf8.elementsEqual(text) ? component : nil
    }

    /// The request and response components of Tongban's profile, made once.
    static let knownComponents: [Substring: ComponentIdentifier] = {
        var table: [Substring: ComponentIdentifier] = [:]
        let all = TongbanProfile.requestComponents(hasBody: true) + TongbanProfile.requestComponents(hasBody: false)
            + TongbanProfile.responseComponents(bindingRequest: true) + TongbanProfile.responseComponents(bindingRequest: false)
        for component in all { table[Substring(component.serialized)] = component }
        return table
    }()

    /// A structured-field string without escapes: `"…"` of printable ASCII other than `"` and `\`.
    static func string(_ text: Substring.UTF8View.SubSequence) -> String? {
        guard text.count >= 2, text.first == UInt8(ascii: "\""), text.last == UInt8(ascii: "\"") else { return nil }
        let inner = text.dropFirst().dropLast()
        guard inner.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) else { return nil }
        return String(decoding: inner, as: UTF8.self)
    }

    /// A structured-field integer: an optional `-` and 1 to 15 digits.
    static func integer(_ text: Substring.UTF8View.SubSequence) -> Int64? {
        let digits = text.first == UInt8(ascii: "-") ? text.dropFirst() : text
        guard (1...15).contains(digits.count), digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int64(String(decoding: text, as: UTF8.self))
    }

    static func isBase64(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
    }
}
