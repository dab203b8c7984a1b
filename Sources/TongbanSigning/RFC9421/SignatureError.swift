import TongbanCore

/// Why a signature could not be made or checked. Each maps to one stable problem code.
public struct SignatureError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// No `Signature`/`Signature-Input` for the label.
        case missing = "tongban.signature.missing"
        /// Unparsable fields, wrong algorithm, or a signature that does not verify.
        case invalid = "tongban.signature.invalid"
        /// The signature does not cover a component the profile requires, or a covered component is absent.
        case incomplete = "tongban.signature.incomplete"
        /// `created` outside the accepted window.
        case expired = "tongban.signature.expired"
        /// `Content-Digest` does not match the bytes received.
        case digestMismatch = "tongban.digest.mismatch"
    }

    public let kind: Kind
    public let reason: String

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    public var code: TongbanError.Code {
        switch kind {
        case .missing: .signatureMissing
        case .invalid: .signatureInvalid
        case .incomplete: .signatureIncomplete
        case .expired: .signatureExpired
        case .digestMismatch: .digestMismatch
        }
    }
    public var description: String { "\(reason) [\(kind.rawValue)]" }
}
