/// A gateway's DNS name as its TLS certificate carries it: an RFC 1123 host name, checked before it is issued.
///
/// No wildcard: a peer's signed `@authority` is compared with the certificate's names exactly
/// (`ServiceNames.contains(authority:)`), so `*.example` would never match. An internationalised name is given in
/// its ASCII form (`xn--…`), as the dNSName type holds only IA5 characters.
public enum DNSName {
    public static let maximumLength = 253
    public static let maximumLabelLength = 63

    /// What is wrong with `name` as a gateway's DNS name, or nil when nothing is.
    public static func problem(with name: String) -> String? {
        guard !name.isEmpty else { return "empty" }
        if IPAddress.bytes(of: name) != nil { return "an IP address, which goes in an iPAddress name (--ip)" }
        if name.hasPrefix("*.") {
            return "a wildcard: a peer's signed @authority is compared with the certificate's names exactly, so it would never match"
        }
        guard name.utf8.count <= maximumLength else { return "longer than \(maximumLength) characters (\(name.utf8.count))" }
        if name.hasSuffix(".") { return "ends with a dot: give the name without the root label" }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            guard !label.isEmpty else { return "has an empty label (a leading dot or two dots in a row)" }
            guard label.utf8.count <= maximumLabelLength else {
                return "label '\(label.prefix(16))…' is longer than \(maximumLabelLength) characters (\(label.utf8.count))"
            }
            var wrong: [Character] = []
            for character in label where !(character.isASCII && (character.isLetter || character.isNumber || character == "-")) {
                if !wrong.contains(character) { wrong.append(character) }
            }
            if !wrong.isEmpty {
                let listed = wrong.map { "'\($0)'" }.joined(separator: ", ")
                let idn = wrong.contains { !$0.isASCII } ? "; an internationalised name is given in its ASCII form (xn--…)" : ""
                return "label '\(label)' has \(listed): a label is letters a-z, digits and '-' (RFC 1123)\(idn)"
            }
            if label.hasPrefix("-") || label.hasSuffix("-") { return "label '\(label)' starts or ends with '-'" }
        }
        if labels.count > 1, labels.last!.allSatisfy(\.isNumber) {
            return "the last label '\(labels.last!)' is all digits: a top-level domain is not, and an IP address goes in --ip"
        }
        return nil
    }
}
