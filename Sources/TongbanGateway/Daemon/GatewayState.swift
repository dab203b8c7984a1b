import Crypto
import Foundation
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanPKI
import TongbanSigning
import TongbanStore
import X509

/// What every listener of one running gateway shares: its configuration, identity, store, peer client and
/// the readiness of its listeners.
final class GatewayState: Sendable {
    let configuration: GatewayConfiguration
    let identity: IdentityDocument
    let certificates: [StatusDocument.CertificateInfo]
    let trust: FederationTrust
    let store: StateStore
    let peerClient: PeerClient
    let readiness: ListenerReadiness
    let signer: MessageSigner
    let verifier: MessageVerifier
    let signingKeys: SigningKeyDirectory
    let replays: ReplayCache
    let catalogue: CatalogueRegistry
    let peerCatalogues: PeerCatalogueCache
    /// The registry of cross-province matters (事项).
    let matters: [Matter]
    /// Key of the subject digests in the audit log.
    let auditSecret: SymmetricKey
    let startedAt = Date()

    init(configuration: GatewayConfiguration, identity: IdentityDocument, certificates: [StatusDocument.CertificateInfo],
         trust: FederationTrust, store: StateStore, peerClient: PeerClient, readiness: ListenerReadiness, signer: MessageSigner,
         catalogue: CatalogueRegistry, peerCatalogues: PeerCatalogueCache) throws(TongbanError) {
        self.signer = signer
        self.auditSecret = try store.auditSecret()
        let loaded = MattersLoader.load(path: configuration.mattersFile)
        guard let matters = loaded.matters else {
            throw TongbanError(.configInvalid, loaded.problems.map(\.description).joined(separator: "; "))
        }
        self.matters = matters
        self.catalogue = catalogue
        self.peerCatalogues = peerCatalogues
        self.verifier = MessageVerifier(label: TongbanProfile.label, window: .seconds(configuration.signatureWindowSeconds),
                                        skew: .seconds(configuration.signatureClockSkewSeconds))
        self.signingKeys = SigningKeyDirectory(peerClient: peerClient, peers: configuration.peers)
        self.replays = ReplayCache(window: TimeInterval(configuration.signatureWindowSeconds + configuration.signatureClockSkewSeconds))
        self.configuration = configuration
        self.identity = identity
        self.certificates = certificates
        self.trust = trust
        self.store = store
        self.peerClient = peerClient
        self.readiness = readiness
    }

    /// This province's directory (when `includeLocal`) followed by `peers`' copies, fetched in parallel.
    func catalogueListings(peers: [GatewayConfiguration.Peer], includeLocal: Bool) async throws -> [CatalogueListing] {
        var listings: [CatalogueListing] = []
        if includeLocal {
            let c = configuration
            listings.append(CatalogueListing(province: c.province.rawValue, name: c.provinceName, local: true,
                                             catalogue: try await catalogue.document(province: c.province, name: c.provinceName, store: store)))
        }
        let fetched = await withTaskGroup(of: (Int, CatalogueListing).self) { group in
            for (index, peer) in peers.enumerated() { group.addTask { (index, await self.peerCatalogues.listing(for: peer)) } }
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
        let c = configuration
        let listeners = [
            StatusDocument.Listener(name: "peer", address: "\(c.peerListener.address):\(c.peerListener.port)", up: up.contains("peer")),
            StatusDocument.Listener(name: "local", address: "\(c.localListener.address):\(c.localListener.port)", up: up.contains("local")),
            StatusDocument.Listener(name: "admin", address: c.adminSocket, up: up.contains("admin")),
        ]
        return StatusDocument(
            province: c.province.rawValue, name: c.provinceName, version: TongbanVersion.current, startedAt: startedAt,
            uptimeSeconds: Date().timeIntervalSince(startedAt), ready: await readiness.isReady, listeners: listeners,
            store: storeOK ? "ok" : "unavailable", peers: c.peers.count, certificates: certificates)
    }
}
