import Foundation

/// Checks one labelled signature (RFC 9421 §3.2) against a profile: required components, algorithm,
/// age window.
public struct MessageVerifier: Sendable {
    public let label: String
    /// How old `created` may be.
    public let window: Duration
    /// How far in the future `created` may be (clock skew).
    public let skew: Duration

    public init(label: String, window: Duration = .seconds(300), skew: Duration = .seconds(30)) {
        self.label = label
        self.window = window
        self.skew = skew
    }

    /// The labelled signature's input, after checking it is present, parses, covers `required` and is fresh.
    /// The key is looked up by the caller from `input.keyID`, then passed to `verify`.
    public func inspect(_ message: HTTPMessageView, required: [ComponentIdentifier], now: Date = Date()) throws(SignatureError) -> (SignatureInput, [UInt8]) {
        let (input, signature) = try SignatureFields.read(label: label, from: message)
        guard input.keyID != nil else { throw SignatureError(.invalid, "signature has no keyid") }
        guard let algorithm = input.algorithm, SignatureAlgorithm(rawValue: algorithm) != nil else {
            throw SignatureError(.invalid, "signature has no supported alg (ecdsa-p256-sha256, ed25519)")
        }
        let covered = Set(input.components)
        let missing = required.filter { !covered.contains($0) }
        guard missing.isEmpty else {
            throw SignatureError(.incomplete, "signature does not cover \(missing.map(\.serialized).joined(separator: " "))")
        }
        guard let created = input.created else { throw SignatureError(.incomplete, "signature has no created time") }
        let age = now.timeIntervalSince1970 - Double(created)
        guard age <= Double(window.components.seconds) else { throw SignatureError(.expired, "signature created \(Int(age)) s ago, beyond the \(window.components.seconds) s window") }
        guard -age <= Double(skew.components.seconds) else { throw SignatureError(.expired, "signature created \(Int(-age)) s in the future") }
        if let expires = input.expires, Double(expires) < now.timeIntervalSince1970 { throw SignatureError(.expired, "signature expired") }
        return (input, signature)
    }

    /// Verifies the signature bytes over the base rebuilt from `message` (and `request` for `req` components).
    public func verify(_ input: SignatureInput, signature: [UInt8], message: HTTPMessageView, request: HTTPMessageView? = nil,
                       key: MessageVerificationKey) throws(SignatureError) {
        guard input.algorithm == key.algorithm.rawValue else {
            throw SignatureError(.invalid, "alg \(input.algorithm ?? "none") does not match the \(key.algorithm.rawValue) key")
        }
        let base = try SignatureBase.make(input, message: message, request: request)
        guard key.isValid(signature, for: base) else { throw SignatureError(.invalid, "signature does not verify") }
    }
}
