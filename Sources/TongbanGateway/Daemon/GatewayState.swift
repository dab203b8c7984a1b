import Crypto
import Foundation
import Logging
import Prometheus
import Synchronization
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanPKI
import TongbanSigning
import TongbanStore
import X509

/// What every listener of one running gateway shares: the current runtime (configuration, keys, peer
/// client — replaced whole by a reload), the store, the caches, the limits, the metrics and the readiness
/// of its listeners.
final class GatewayState: Sendable {
    /// Swapped only by `reload()`.
    let current: Mutex<GatewayRuntime>
    /// The runtime in force; read it once where several of its parts must agree.
    var runtime: GatewayRuntime { current.withLock { $0 } }
    var configuration: GatewayConfiguration { runtime.configuration }
    var certificates: [StatusDocument.CertificateInfo] { runtime.certificates }
    var trust: FederationTrust { runtime.trust }
    var peerClient: PeerClient { runtime.peerClient }
    var signer: MessageSigner { runtime.signer }
    /// The federation manifest in force (members, keys, matters, protocol settings) and its refreshes.
    let federation: FederationState

    let store: any ProvinceStore
    let readiness: ListenerReadiness
    let replays: ReplayCache
    let catalogue: CatalogueRegistry
    let peerCatalogues: PeerCatalogueCache
    let limits: PeerLimits
    let metrics: GatewayMetrics
    /// The manifest's refusals before a handler, audited at most once a minute per province and code.
    let admissionRefusals = AdmissionRefusals()
    /// Peers' certificates seen on the wire (TLS client certificates of callers), for expiry warnings.
    let peerCertificates = PeerCertificates()
    /// Key of the subject digests in the audit log.
    let auditSecret: SymmetricKey
    let startedAt = Date()
    let logger: Logger
    let notifier: SystemdNotifier
    /// Where the configuration came from, for reloads (nil: reloads re-read only the files it names).
    let configPath: String?
    let environment: [String: String]
    /// One reload at a time.
    let reloading = Mutex(false)
    /// Set by `tongbanctl drain` or when shutdown begins: `/healthz` answers 503, so a load balancer sends this
    /// replica no new connections while it finishes what it has (docs/deployment.md, "Two or more machines").
    let draining = Atomic<Bool>(false)

    init(runtime: GatewayRuntime, federation: FederationState, store: any ProvinceStore, auditSecret: SymmetricKey, readiness: ListenerReadiness, catalogue: CatalogueRegistry,
         metrics: GatewayMetrics, logger: Logger, notifier: SystemdNotifier, configPath: String?,
         environment: [String: String]) throws(TongbanError) {
        current = Mutex(runtime)
        self.federation = federation
        let c = runtime.configuration
        let settings = federation.current.manifest.protocol
        self.auditSecret = auditSecret
        self.catalogue = catalogue
        self.peerCatalogues = PeerCatalogueCache(logger: logger)
        // The manifest's window at start; a manifest that widens it applies to the replay cache at the next restart
        // (the cache keeps ids for the window it was made with).
        self.replays = ReplayCache(window: TimeInterval(settings.signatureWindowSeconds + settings.clockSkewSeconds))
        self.limits = PeerLimits(rate: c.peerRequestsPerSecond, burst: c.peerBurst, concurrent: c.concurrentPeerRequests)
        self.store = store
        store.auditHash = c.auditHash
        self.readiness = readiness
        self.metrics = metrics
        self.logger = logger
        self.notifier = notifier
        self.configPath = configPath
        self.environment = environment
    }

    /// Appends an audit entry, timing the write for the metrics.
    @discardableResult
    func appendAudit(_ entry: AuditEntry) async throws(TongbanError) -> AuditEntry {
        let start = ContinuousClock.now
        let stored = try await store.appendAudit(entry)
        metrics.auditWrite.record(ContinuousClock.now - start)
        return stored
    }

    /// `appendAudit(_:)` with a completion, called on the writer's thread (the peer fast path).
    func appendAudit(_ entry: AuditEntry, completion: @escaping @Sendable (Result<AuditEntry, any Error>) -> Void) {
        let start = ContinuousClock.now
        store.appendAudit(entry) { [metrics] result in
            if case .success = result { metrics.auditWrite.record(ContinuousClock.now - start) }
            completion(result)
        }
    }

    /// This province's directory (when `includeLocal`) followed by `peers`' copies, fetched in parallel.
    func catalogueListings(peers: [PeerEndpoint], includeLocal: Bool) async throws -> [CatalogueListing] {
        var listings: [CatalogueListing] = []
        let c = configuration
        if includeLocal {
            listings.append(CatalogueListing(province: c.province.rawValue, name: c.provinceName, local: true,
                                             catalogue: try await catalogue.document(province: c.province, name: c.provinceName, store: store)))
        }
        let client = peerClient
        let fetched = await withTaskGroup(of: (Int, CatalogueListing).self) { group in
            for (index, peer) in peers.enumerated() { group.addTask { (index, await self.peerCatalogues.listing(for: peer, client: client)) } }
            var results: [(Int, CatalogueListing)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        return listings + fetched
    }

    func status() async -> StatusDocument {
        let storeOK: Bool
        do { try await store.ping(); storeOK = true } catch { storeOK = false }
        let up = await readiness.upListeners
        let runtime = self.runtime
        let c = runtime.configuration
        let listeners = [
            StatusDocument.Listener(name: "peer", address: "\(c.peerListener.address):\(c.peerListener.port)", up: up.contains("peer")),
            StatusDocument.Listener(name: "local", address: "\(c.localListener.address):\(c.localListener.port)", up: up.contains("local")),
            StatusDocument.Listener(name: "admin", address: c.adminSocket, up: up.contains("admin")),
        ]
        var document = StatusDocument(
            province: c.province.rawValue, name: c.provinceName, version: TongbanVersion.current, startedAt: startedAt,
            uptimeSeconds: Date().timeIntervalSince(startedAt), ready: await readiness.isReady, listeners: listeners,
            store: storeOK ? "ok" : "unavailable", peers: memberEndpoints().count, certificates: runtime.certificates)
        document.federation = federationStatus()
        document.warnings = federationWarnings() + (await certificateWarnings().map(\.message)) + (await applicationWarnings()) + (await correctionWarnings())
        return document
    }

    /// Every own and peer certificate that expires within `CertificateWatch.warningPeriod` (or has expired).
    func certificateWarnings(now: Date = Date()) async -> [CertificateWatch.Warning] {
        CertificateWatch.warnings(own: runtime.certificates, peers: await knownPeerCertificates(), now: now)
    }

    /// Peers' keys and certificates: the end of each member's signing keys in the manifest (the latest, per
    /// member), and the TLS client certificates they presented.
    func knownPeerCertificates() async -> [PeerCertificates.Seen] {
        var seen = peerCertificates.all()
        let own = configuration.province
        for member in federation.current.index.peers(of: own) {
            guard let code = try? ProvinceCode(member.province), let last = member.signingKeys.map(\.notAfter).max() else { continue }
            seen.append(.init(province: code.rawValue, usage: "signing", notAfter: last))
        }
        return seen.sorted { ($0.province, $0.usage) < ($1.province, $1.usage) }
    }
}

extension GatewayState {
    /// Puts the request ids of the inbound exchanges audited within the replay window into the replay cache, so
    /// that a request captured before a restart is still refused as a replay after it. Returns how many.
    func rememberRecentRequests(now: Date = Date()) async throws(TongbanError) -> Int {
        var count = 0
        for recent in try await store.recentInboundRequests(since: now.addingTimeInterval(-replays.window)) {
            guard let id = UUIDText.parse(recent.requestId), let province = try? ProvinceCode(recent.peer) else { continue }
            if replays.record(id, from: province, now: recent.time.timeIntervalSince1970) { count += 1 }
        }
        return count
    }
}
