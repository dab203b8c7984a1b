import Foundation

extension SignatureFields {
    /// The two fields read without the structured-field parser when they are exactly what a signer writes: each
    /// field one member, `label=(…);params` and `label=:base64:`, the inner list's items plain component names with
    /// at most `req` and `key="…"`, its parameters among `created`, `expires`, `keyid`, `nonce`, `alg` and `tag`,
    /// each once. The input is then made from what was read and must serialise back to the member exactly: text the
    /// parser would read otherwise (another order, other spacing, escapes, an upper-case name) is not in canonical
    /// form and returns nil, and `read(label:from:)` parses it in full. So whatever this returns, the parser returns
    /// too (the `canonical` fuzz target holds the two to it).
    ///
    /// It reads the fields' bytes in place (every peer request passes here; the same reading over `String` views
    /// and `split` cost ≈ 5 % of a signed exchange's CPU).
    public static func readCanonical(label: String, input inputField: String, signature signatureField: String) -> (SignatureInput, [UInt8])? {
        var (label, inputField, signatureField) = (label, inputField, signatureField)
        return label.withUTF8 { label in
            inputField.withUTF8 { input in
                signatureField.withUTF8 { signature in readCanonical(label: label, input: input, signature: signature) }
            }
        }
    }

    private static func readCanonical(label: Bytes, input: Bytes, signature: Bytes) -> (SignatureInput, [UInt8])? {
        let prefix = label.count + 1
        guard input.count > prefix, signature.count > prefix, Self.starts(input, with: label), Self.starts(signature, with: label),
              input[label.count] == UInt8(ascii: "="), signature[label.count] == UInt8(ascii: "=") else { return nil }
        // The signature: `:base64:` and nothing else.
        let encoded = Bytes(rebasing: signature[prefix...])
        guard encoded.count >= 2, encoded.first == UInt8(ascii: ":"), encoded.last == UInt8(ascii: ":") else { return nil }
        let base64 = Bytes(rebasing: encoded[1..<(encoded.count - 1)])
        guard base64.allSatisfy(Self.isBase64), let signatureBytes = Data(base64Encoded: Data(base64)) else { return nil }
        // The inner list: `(` items separated by one space `)`.
        let member = Bytes(rebasing: input[prefix...])
        guard member.first == UInt8(ascii: "("), let close = member.firstIndex(of: UInt8(ascii: ")")) else { return nil }
        var components: [ComponentIdentifier] = []
        components.reserveCapacity(8)
        if close > 1 {
            var start = 1
            for index in 1...close where index == close || member[index] == UInt8(ascii: " ") {
                guard let component = Self.component(Bytes(rebasing: member[start..<index])) else { return nil }
                components.append(component)
                start = index + 1
            }
        }
        // The parameters: `;name=value` each, right after the list.
        var (created, expires, keyID, nonce, algorithm, tag): (Int64?, Int64?, String?, String?, String?, String?) = (nil, nil, nil, nil, nil, nil)
        var position = close + 1
        var seen: UInt8 = 0
        while position < member.count {
            guard member[position] == UInt8(ascii: ";") else { return nil }
            let end = member[(position + 1)...].firstIndex(of: UInt8(ascii: ";")) ?? member.count
            let parameter = Bytes(rebasing: member[(position + 1)..<end])
            position = end
            guard let equals = parameter.firstIndex(of: UInt8(ascii: "=")),
                  let known = Self.parameterNames.firstIndex(where: { Self.equal(Bytes(rebasing: parameter[..<equals]), $0) }) else { return nil }
            let bit: UInt8 = 1 << known
            guard seen & bit == 0 else { return nil }
            seen |= bit
            let value = Bytes(rebasing: parameter[(equals + 1)...])
            switch known {
            case 0: guard let number = Self.integer(value) else { return nil }; created = number
            case 1: guard let number = Self.integer(value) else { return nil }; expires = number
            default:
                guard let text = Self.string(value) else { return nil }
                switch known {
                case 2: keyID = text
                case 3: nonce = text
                case 4: algorithm = text
                default: tag = text
                }
            }
        }
        let read = SignatureInput(components: components, created: created, keyID: keyID, algorithm: algorithm, expires: expires,
                                  nonce: nonce, tag: tag)
        var serialized = read.serialized
        guard serialized.withUTF8({ Self.equal($0, member) }) else { return nil }
        return (read, Array(signatureBytes))
    }

    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// The parameter names RFC 9421 §2.3 defines, in the order of the bits `readCanonical` marks them seen with.
    private static let parameterNames: [[UInt8]] = ["created", "expires", "keyid", "nonce", "alg", "tag"].map { Array($0.utf8) }

    /// A component as a signer writes it: `"name"`, then optionally `;req` and `;key="…"`. Its identifier must
    /// serialise back to the text (`readCanonical` compares the whole member afterwards too).
    static func component(_ text: Bytes) -> ComponentIdentifier? {
        for (serialized, component) in Self.knownComponents where Self.equal(text, serialized) { return component }
        guard text.first == UInt8(ascii: "\"") else { return nil }
        let parts = text.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false).map(Bytes.init(rebasing:))
        guard let quoted = parts.first, let name = Self.string(quoted), !name.isEmpty else { return nil }
        var (req, key): (Bool, String?) = (false, nil)
        for parameter in parts.dropFirst() {
            if Self.equal(parameter, Self.req), !req { req = true; continue }
            guard key == nil, Self.starts(parameter, with: Self.keyPrefix),
                  let value = Self.string(Bytes(rebasing: parameter[Self.keyPrefix.count...])) else { return nil }
            key = value
        }
        let component = ComponentIdentifier(name, req: req, key: key)
        var serialized = component.serialized
        return serialized.withUTF8 { Self.equal($0, text) } ? component : nil
    }

    private static let req = Array("req".utf8)
    private static let keyPrefix = Array("key=".utf8)

    /// The request and response components of Tongban's profile, made once, each with its text.
    static let knownComponents: [([UInt8], ComponentIdentifier)] = {
        var table: [([UInt8], ComponentIdentifier)] = []
        let all = TongbanProfile.requestComponents(hasBody: true) + TongbanProfile.requestComponents(hasBody: false)
            + TongbanProfile.responseComponents(bindingRequest: true) + TongbanProfile.responseComponents(bindingRequest: false)
        for component in all where !table.contains(where: { $0.1 == component }) { table.append((Array(component.serialized.utf8), component)) }
        return table
    }()

    /// A structured-field string without escapes: `"…"` of printable ASCII other than `"` and `\`.
    static func string(_ text: Bytes) -> String? {
        guard text.count >= 2, text.first == UInt8(ascii: "\""), text.last == UInt8(ascii: "\"") else { return nil }
        let inner = Bytes(rebasing: text[1..<(text.count - 1)])
        guard inner.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) else { return nil }
        return String(decoding: inner, as: UTF8.self)
    }

    /// A structured-field integer: an optional `-` and 1 to 15 digits.
    static func integer(_ text: Bytes) -> Int64? {
        let negative = text.first == UInt8(ascii: "-")
        let digits = Bytes(rebasing: text[(negative ? 1 : 0)...])
        guard (1...15).contains(digits.count), digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let magnitude = digits.reduce(Int64(0)) { $0 * 10 + Int64($1 - 0x30) }
        return negative ? -magnitude : magnitude
    }

    static func isBase64(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
    }

    static func equal(_ a: Bytes, _ b: Bytes) -> Bool {
        a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }

    static func equal(_ a: Bytes, _ b: [UInt8]) -> Bool {
        b.withUnsafeBufferPointer { equal(a, $0) }
    }

    static func starts(_ text: Bytes, with prefix: Bytes) -> Bool {
        text.count >= prefix.count && equal(Bytes(rebasing: text[..<prefix.count]), prefix)
    }

    static func starts(_ text: Bytes, with prefix: [UInt8]) -> Bool {
        prefix.withUnsafeBufferPointer { starts(text, with: $0) }
    }
}
