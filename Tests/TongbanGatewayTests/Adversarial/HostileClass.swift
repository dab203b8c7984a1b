/// The classes of generated hostile requests (issue 32, item 1), in the order the table prints them.
enum HostileClass: String, CaseIterable, Sendable {
    /// Unmutated, validly signed requests: the proof that the harness can see an acceptance.
    case control
    /// One covered component (or the signature's parameters, bytes, label, freshness, key) changed after signing.
    case signedComponent = "signed-component"
    /// Structured-field syntax in `Signature-Input` and `Signature`.
    case structuredField = "structured-field"
    /// Header fields repeated, folded, re-cased or spaced.
    case duplicatedHeader = "duplicated-header"
    /// The body changed under a valid digest or under a valid signature, and its framing.
    case body
    /// `Content-Encoding` tricks: unknown codings, corrupt streams, bombs.
    case contentCoding = "content-coding"
    /// Validly signed JSON of the wrong type, nested deep, with huge numbers.
    case json
    /// NUL bytes and overlong or invalid UTF-8 in the request line, the fields and the body.
    case nulAndUTF8 = "nul-utf8"
    /// Path, query, method and version tricks.
    case target
    /// Requests on a listener that is not theirs, or without the right TLS identity.
    case wrongListener = "wrong-listener"
}
