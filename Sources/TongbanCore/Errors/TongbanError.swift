/// An error with a stable, hierarchical code (`tongban.config.invalid`), a human message and where it was raised.
///
/// Equality is on the code only, so tests and callers match on what went wrong, not on wording.
/// The code is what peers see in `application/problem+json`; the message must never carry personal data.
public struct TongbanError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable code with the HTTP status it is answered with: never renamed once released, because peers and
    /// operators match on it. Every code is declared once, in `TongbanError+Codes.swift`; a code read from the
    /// wire that is not in that table is `unknown(_:)`, never trusted as one of ours.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        /// The HTTP status a caller gets for this code.
        public let status: Int
        /// Whether the error's message may reach the caller. Internal failures (a store error, a file path) say
        /// only a fixed sentence and the request id; their message goes to the log.
        public let discloses: Bool
        /// What the code means, one line, as the table in docs/protocol.md says it.
        public let meaning: String

        init(_ rawValue: String, status: Int, discloses: Bool = true, _ meaning: String) {
            self.rawValue = rawValue
            self.status = status
            self.discloses = discloses
            self.meaning = meaning
        }

        /// The declared code with this text, or nil.
        public init?(rawValue: String) {
            guard let known = Self.byRawValue[rawValue] else { return nil }
            self = known
        }

        public var description: String { rawValue }
        public static func == (lhs: Code, rhs: Code) -> Bool { lhs.rawValue == rhs.rawValue }
        public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
    }

    public let code: Code
    public let message: String
    /// A machine-readable refinement of the code (which check failed), when there is one.
    public let detail: String?
    public let file: String
    public let line: Int

    public init(_ code: Code, _ message: String, detail: String? = nil, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.detail = detail
        self.file = file
        self.line = line
    }

    public var description: String { "\(message) [\(code)]" }

    public static func == (lhs: TongbanError, rhs: TongbanError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
