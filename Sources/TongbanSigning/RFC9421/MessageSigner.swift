import Foundation

/// Signs messages under one label with one key (RFC 9421 §3.1).
public struct MessageSigner: Sendable {
    public let key: MessageSigningKey
    public let keyID: String
    public let label: String

    public init(key: MessageSigningKey, keyID: String, label: String) {
        self.key = key
        self.keyID = keyID
        self.label = label
    }

    /// The `Content-Digest` algorithm of the messages this signer signs: `sm3` with an SM2 key (the national
    /// algorithms end to end), `sha-256` otherwise.
    public var digestAlgorithm: ContentDigest.Algorithm {
        if case .sm2 = key { return .sm3 }
        return .sha256
    }

    /// The `Signature-Input` and `Signature` field values for `message`.
    public func sign(_ message: HTTPMessageView, request: HTTPMessageView? = nil, covering components: [ComponentIdentifier],
                     created: Date = Date()) throws -> (input: String, signature: String) {
        let input = SignatureInput(components: components, created: Int64(created.timeIntervalSince1970), keyID: keyID,
                                   algorithm: key.algorithm.rawValue)
        let base = try SignatureBase.make(input, message: message, request: request)
        let signature = try key.sign(base)
        return (SignatureFields.inputField(label: label, input), SignatureFields.signatureField(label: label, signature))
    }
}
