import TongbanCore

/// Everything `tongband` reads from its YAML file (see `docs/deployment.md` for every key and default).
/// Paths are absolute: relative ones in the file are resolved against the file's directory.
public struct GatewayConfiguration: Sendable, Equatable {
    public static let defaultPath = "/etc/tongban/tongband.yaml"

    public struct Listener: Sendable, Equatable {
        public var address: String
        public var port: Int
        public init(address: String, port: Int) {
            self.address = address
            self.port = port
        }
    }

    public struct TLSFiles: Sendable, Equatable {
        public var certificate: String
        public var key: String
        public var federationRoots: [String]
        public init(certificate: String, key: String, federationRoots: [String]) {
            self.certificate = certificate
            self.key = key
            self.federationRoots = federationRoots
        }
    }

    /// A signing key and, for a P-256 or Ed25519 key, its certificate. An SM2 key has none: its public key reaches
    /// peers in the manifest (`tongbanctl federation key add --public-key`), and its key id is the SHA-256 of its
    /// SubjectPublicKeyInfo.
    public struct SigningFiles: Sendable, Equatable {
        public var certificate: String?
        public var key: String
        public init(certificate: String?, key: String) {
            self.certificate = certificate
            self.key = key
        }
    }

    /// A local override of a member's address (`peers:`): where this gateway reaches it (NAT, a test port).
    public typealias Peer = PeerEndpoint

    /// Where the federation manifest comes from and how it is kept (`federation:`, docs/deployment.md).
    public struct FederationSettings: Sendable, Equatable {
        /// The federation this gateway belongs to: a manifest of another is refused.
        public var id: String
        /// The hub's `https://…/manifest.jws` (any static HTTPS server), or nil.
        public var url: String?
        /// PEM roots for the hub's HTTPS; nil uses the system's.
        public var hubCA: String?
        /// A copy placed by hand or by configuration management, re-read at every refresh; or nil.
        public var file: String?
        public var refreshSeconds: Int = 300
        /// How long before `expiresAt` a warning is raised.
        public var expiryWarningSeconds: Int = 86_400
        /// How long past `expiresAt` exchanges go on before they are refused (fail-closed).
        public var expiryGraceSeconds: Int = 3600

        public init(id: String, url: String? = nil, hubCA: String? = nil, file: String? = nil) {
            self.id = id
            self.url = url
            self.hubCA = hubCA
            self.file = file
        }
    }

    /// A department system allowed on the local API, known by the SHA-256 of its bearer token.
    public struct Department: Sendable, Equatable {
        public var code: String
        public var name: String
        /// Lowercase hex SHA-256 of the token; the token itself is never stored.
        public var tokenSHA256: String
        public init(code: String, name: String, tokenSHA256: String) {
            self.code = code
            self.name = name
            self.tokenSHA256 = tokenSHA256
        }
    }

    /// The sharing applications' deadlines and delivery (`applications:`, docs/workflows.md "Applications").
    public struct ApplicationSettings: Sendable, Equatable {
        /// Working days the provider has to answer an application, counted from the day after it arrived (China date).
        /// 10 is the 2016 暂行办法's figure (docs/workflows.md says why it is the default).
        public var answerWorkingDays = 10
        /// The first pause before a decision that could not be delivered is pushed again; it doubles each time, up to
        /// an hour, until the requester acknowledges it.
        public var retrySeconds = 10
        /// How often the requester asks the provider about each of its applications still submitted (the pull
        /// beside the push).
        public var pullSeconds = 300

        public init() {}
    }

    /// Corrections' deadline (`corrections:`, docs/workflows.md "Corrections"). Outcomes are delivered with the
    /// applications' settings (`applications.retrySeconds`, `applications.pullSeconds`).
    public struct CorrectionSettings: Sendable, Equatable {
        /// Working days the provider has to resolve a correction, counted from the day after it arrived (China date).
        /// No national figure could be confirmed; 10 follows the applications' (docs/workflows.md says why).
        public var answerWorkingDays = 10

        public init() {}
    }

    public var province: ProvinceCode
    public var provinceName: String
    public var peerListener: Listener
    public var localListener: Listener
    public var adminSocket: String
    public var tls: TLSFiles
    public var signing: SigningFiles
    /// The key a rotation brings in (`signing.next`): signed with once the manifest puts it in force.
    public var nextSigning: SigningFiles?
    /// Keys held beside `signing` (`signing.additional`), typically of another algorithm: an SM2 key for members
    /// that accept only `sm2-sm3`, beside a P-256 key for the others.
    public var additionalSigning: [SigningFiles] = []
    /// The order in which this gateway prefers to sign (`signing.algorithms`): for each peer it signs with the
    /// first of these the peer accepts (its `accepts` in the manifest) for which it holds a key in force. Empty:
    /// the algorithms of `signing.next`, `signing` and `signing.additional`, in that order.
    public var signingAlgorithms: [String] = []

    /// How the audit chain hashes new entries and digests subjects (`audit.hash`): SHA-256 or SM3 (国密).
    public var auditHash: AuditHashAlgorithm = .sha256

    /// Every configured signing key: `signing`, then `signing.next`, then `signing.additional`.
    public var allSigning: [SigningFiles] { [signing] + (nextSigning.map { [$0] } ?? []) + additionalSigning }
    public var federation: FederationSettings
    public var stateDirectory: String
    /// Where the state is kept (`store:`): SQLite in `stateDirectory` (the default) or a shared PostgreSQL database.
    public var store = StoreSettings()
    /// Local overrides of members' addresses; the members themselves come from the federation manifest.
    public var peers: [Peer]
    /// Timeouts, retries and circuit breakers of outbound calls (`peerClient.*`).
    public var peerResilience: PeerResilience
    /// Seconds an outbound call to a peer may take, connection included.
    public var peerTimeoutSeconds: Double { peerResilience.timeoutSeconds }
    /// The resource directory (`catalogue.yaml`); nil publishes an empty directory.
    public var catalogueFile: String?
    /// How often peers' directories are refreshed.
    public var peerCatalogueRefreshSeconds: Int
    /// Largest request body after decompression (the decompression-bomb cap).
    public var maxDecompressedBytes: Int
    /// Largest request body as sent on the peer and local listeners.
    public var maxRequestBodyBytes: Int = 16 * 1024 * 1024
    /// Largest request head (all header fields together); beyond, 431 `tongban.headers.too-large`.
    public var maxHeaderBytes: Int = 16 * 1024
    /// Most subjects one query may name.
    public var maxSubjectsPerQuery: Int = 1000
    /// zlib level (1–9) for the answers this gateway compresses: 1 costs a third of 6's CPU for a body about a
    /// quarter larger (a 1,000-record answer 6.2× smaller than its JSON instead of 8.1×; `docs/performance.md`).
    public var compressionLevel: Int = 1
    /// Whether the peer listener answers plain single-record and batch queries on its fast path (`PeerFastPath`,
    /// `fastPath.enabled`): checked and answered on the event loop, with the general path taking any request the
    /// fast path does not serve. Off, every request takes the general path (the differential tests compare the two).
    public var peerFastPath = true
    /// Requests per second each peer province may make on the peer listener (token bucket, refilled at this
    /// rate), and how many it may make at once after a quiet spell.
    public var peerRequestsPerSecond: Double = 200
    public var peerBurst: Int = 400
    /// Requests the peer listener handles at once, all peers together; beyond, 503 with `Retry-After`.
    public var concurrentPeerRequests: Int = 256
    /// Seconds a peer or local connection may stay silent — idle between requests, or stuck in its TLS handshake or
    /// request head (slow-loris) — before it is closed.
    public var idleTimeoutSeconds: Int = 30
    /// swift-log level name: trace, debug, info, notice, warning, error, critical.
    public var logLevel: String
    /// Department systems allowed on the local API.
    public var departments: [Department] = []
    public var applications = ApplicationSettings()
    public var corrections = CorrectionSettings()
    /// A working-day calendar file (`calendar.file`, the format of `cn-workday-calendar.tsv`) replacing the bundled
    /// one; nil for the bundled calendar.
    public var calendarFile: String?

    /// The local override of `code`'s address, if any.
    public func peerOverride(_ code: ProvinceCode) -> Peer? { peers.first { $0.code == code } }
}
