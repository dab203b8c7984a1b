import Foundation

/// `DIR/federation.json`: everything a user or test needs to talk to a demo federation.
public struct FederationDocument: Codable, Sendable {
    public struct Province: Codable, Sendable {
        public var code: String
        public var name: String
        public var peerURL: String
        public var localURL: String
        public var adminSocket: String
        public var config: String
        public var tlsCertificate: String
        public var tlsKey: String
        /// Nil for an SM2 key, which has no certificate.
        public var signingCertificate: String?
        public var signingKey: String
        /// The RFC 9421 algorithm it signs with: `ecdsa-p256-sha256`, `ed25519` or `sm2-sm3`.
        public var signingAlgorithm: String?
        public var rootCA: String
        public var stateDirectory: String
        public var log: String
        public var pid: Int32
        public var catalogue: String
        /// Per resource code, five subject keys present in this province's store, to try queries at once.
        public var samples: [String: [String]]
        /// A province on several replicas (`demo up --replicas N`): each one, the first being the one above; `peerURL`
        /// above is then haproxy's.
        public var replicas: [Replica]?
    }

    /// One replica of a province.
    public struct Replica: Codable, Sendable {
        public var peerURL: String
        public var localURL: String
        public var adminSocket: String
        public var config: String
        public var log: String
        public var pid: Int32
    }

    public var createdAt: Date
    public var rootCA: String
    /// The federation authority's directory (its key, the draft, the signed `manifest.jws` every gateway reads).
    public var authority: String
    /// The signed manifest the gateways read (`federation.file`).
    public var manifest: String
    public var federationID: String
    /// The first manifest's size, and how long verifying it took here (signature, authority chain, rules).
    public var manifestBytes: Int?
    public var manifestVerifyMilliseconds: Double?
    /// Seconds from the first daemon's start to the last one's readiness.
    public var startupSeconds: Double?
    public var provinces: [Province]
    /// The private PostgreSQL cluster of `demo up --store postgresql`.
    public var postgres: LocalPostgres?
    /// haproxy in front of a replicated province.
    public var haproxy: LocalHAProxy?
}
