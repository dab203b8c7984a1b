import Foundation

/// `GET /v1/status` on the admin socket: what `tongbanctl status` shows.
public struct StatusDocument: Codable, Sendable, Equatable {
    public struct Listener: Codable, Sendable, Equatable {
        public var name: String
        public var address: String
        public var up: Bool
        public init(name: String, address: String, up: Bool) {
            self.name = name
            self.address = address
            self.up = up
        }
    }

    public struct CertificateInfo: Codable, Sendable, Equatable {
        public var usage: String
        public var subject: String
        public var notAfter: Date
        public var keyId: String
        public init(usage: String, subject: String, notAfter: Date, keyId: String) {
            self.usage = usage
            self.subject = subject
            self.notAfter = notAfter
            self.keyId = keyId
        }
    }

    public var province: String
    public var name: String
    public var version: String
    public var startedAt: Date
    public var uptimeSeconds: Double
    public var ready: Bool
    public var listeners: [Listener]
    public var store: String
    /// Members of the federation other than this province.
    public var peers: Int
    public var certificates: [CertificateInfo]
    /// The federation manifest in force.
    public var federation: FederationStatus?
    /// The manifest expiring or expired, no signing key in force, and own or peer certificates that expire within
    /// 30 days or have expired, in words.
    public var warnings: [String] = []

    public init(province: String, name: String, version: String, startedAt: Date, uptimeSeconds: Double, ready: Bool,
                listeners: [Listener], store: String, peers: Int, certificates: [CertificateInfo]) {
        self.province = province
        self.name = name
        self.version = version
        self.startedAt = startedAt
        self.uptimeSeconds = uptimeSeconds
        self.ready = ready
        self.listeners = listeners
        self.store = store
        self.peers = peers
        self.certificates = certificates
    }
}
