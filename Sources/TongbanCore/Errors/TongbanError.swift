/// An error with a stable, hierarchical code (`tongban.config.invalid`), a human message and where it was raised.
///
/// Equality is on the code only, so tests and callers match on what went wrong, not on wording.
/// The code is what peers see in `application/problem+json`; the message must never carry personal data.
public struct TongbanError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable code: never renamed once released, because peers and operators match on it.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { rawValue }
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

extension TongbanError.Code {
    public static let provinceUnknown: Self = "tongban.province.unknown"
    public static let citizenIDInvalid: Self = "tongban.citizen-id.invalid"
    public static let configInvalid: Self = "tongban.config.invalid"
    public static let pkiInvalid: Self = "tongban.pki.invalid"
    public static let identityMissing: Self = "tongban.identity.missing"
    public static let identityMismatch: Self = "tongban.identity.mismatch"
    public static let peerUnknown: Self = "tongban.peer.unknown"
    public static let peerUnreachable: Self = "tongban.peer.unreachable"
    public static let peerTimeout: Self = "tongban.peer.timeout"
    /// Every connection to the peer stayed busy: this gateway has too many calls to it in progress.
    public static let peerBusy: Self = "tongban.peer.busy"
    /// The peer failed repeatedly; its circuit is open and calls fail at once until a probe succeeds.
    public static let peerCircuitOpen: Self = "tongban.peer.circuit-open"
    public static let notFound: Self = "tongban.not-found"
    public static let internalError: Self = "tongban.internal"
    public static let storeUnavailable: Self = "tongban.store.unavailable"
    /// A peer's answer failed digest, signature or request binding: the caller must not trust it.
    public static let signatureRefused: Self = "tongban.peer.signature-refused"
}
