import Foundation

/// One province of the federation, as the manifest lists it.
public struct FederationMember: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Takes part: its handshakes and signatures are accepted, it is called.
        case active
        /// Cut off until the authority lifts it: its handshakes and signatures are refused, it is not called.
        case suspended
    }

    /// GB/T 2260 province code.
    public var province: String
    public var name: String
    public var status: Status
    /// `https://host:port` of its peer listener; the first is used (a gateway's `peers:` may override it locally).
    public var urls: [String]
    /// `sha256/` + lowercase hex SHA-256 of a TLS certificate's SubjectPublicKeyInfo. Its TLS client certificate must
    /// match one. Two pins carry a TLS key renewal.
    public var tlsPins: [String]
    /// Its message-signing keys. Two may overlap in time: that is how a key is rotated.
    public var signingKeys: [MemberSigningKey]
    /// The signature algorithms it accepts on the requests and answers sent to it (`sm2-sm3` alone: it requires
    /// the national algorithms). Absent: every algorithm of `ManifestRules.algorithms`. Peers sign for it with the
    /// first algorithm of their own `signing.algorithms` preference that it accepts; it refuses any other with
    /// `tongban.signature.algorithm`.
    public var accepts: [String]?

    public init(province: String, name: String, status: Status = .active, urls: [String], tlsPins: [String], signingKeys: [MemberSigningKey],
                accepts: [String]? = nil) {
        self.province = province
        self.name = name
        self.status = status
        self.urls = urls
        self.tlsPins = tlsPins
        self.signingKeys = signingKeys
        self.accepts = accepts
    }

    /// Whether messages to this member may be signed with `algorithm` (its `accepts`, or any algorithm).
    public func accepts(_ algorithm: String) -> Bool { accepts?.contains(algorithm) ?? true }

    public static let pinPrefix = "sha256/"
}
