import Foundation

/// One member of the federation as the daemon sees it right now (`GET /v1/peers` on the admin socket,
/// `tongbanctl peers list`).
public struct PeerStatus: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var url: String
    /// Its status in the manifest in force: `active` or `suspended` (a suspended member is not probed).
    public var member: String?
    public var reachable: Bool
    /// The province named by the peer's TLS certificate (nil when unreachable).
    public var certificateProvince: String?
    public var certificateNotAfter: Date?
    /// Name the peer gives itself in `/v1/identity`.
    public var identityName: String?
    public var version: String?
    public var roundTripMilliseconds: Double?
    /// Key id (SHA-256 of the signing certificate) and algorithm of the peer's message signatures.
    public var signingKeyId: String?
    public var signingAlgorithm: String?
    /// Why the peer is unreachable or refused, when it is.
    public var error: String?
    /// The peer's circuit breaker: closed, open or half-open; and the transport failures in a row behind it.
    public var circuit: String?
    public var consecutiveFailures: Int?

    public init(code: String, name: String, url: String, reachable: Bool, certificateProvince: String? = nil,
                certificateNotAfter: Date? = nil, identityName: String? = nil, version: String? = nil,
                roundTripMilliseconds: Double? = nil, error: String? = nil) {
        self.code = code
        self.name = name
        self.url = url
        self.reachable = reachable
        self.certificateProvince = certificateProvince
        self.certificateNotAfter = certificateNotAfter
        self.identityName = identityName
        self.version = version
        self.roundTripMilliseconds = roundTripMilliseconds
        self.error = error
    }
}
