import Foundation
import Logging
import TongbanClient
import TongbanConfig
import TongbanCore

/// Peers' directories: fetched on demand and refreshed periodically with `If-None-Match`, verified (signed
/// answers only), the last good copy kept and served marked stale, with its age, while a peer is unreachable.
actor PeerCatalogueCache {
    struct Entry {
        var document: CatalogueDocument
        var fetchedAt: Date
        var lastError: String?
    }

    private var entries: [ProvinceCode: Entry] = [:]
    let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Seconds since each peer's directory was last fetched or confirmed unchanged.
    func ages(now: Date = Date()) -> [ProvinceCode: TimeInterval] {
        entries.mapValues { now.timeIntervalSince($0.fetchedAt) }
    }

    /// The peer's directory: fetched now (or confirmed unchanged), else the cached copy marked stale.
    func listing(for peer: GatewayConfiguration.Peer, client: PeerClient) async -> CatalogueListing {
        await refresh(peer, client: client)
        guard let entry = entries[peer.code] else {
            return CatalogueListing(province: peer.code.rawValue, name: peer.name, local: false, stale: true,
                                    error: firstErrors[peer.code] ?? "no copy of the catalogue yet", catalogue: nil)
        }
        return CatalogueListing(province: peer.code.rawValue, name: peer.name, local: false, stale: entry.lastError != nil,
                                ageSeconds: Date().timeIntervalSince(entry.fetchedAt), error: entry.lastError, catalogue: entry.document)
    }

    /// Fetches with `If-None-Match`; on failure records the error and keeps the last good copy.
    func refresh(_ peer: GatewayConfiguration.Peer, client: PeerClient) async {
        let cached = entries[peer.code]
        do {
            if let document = try await client.catalogue(of: peer, ifNoneMatch: cached?.document.version) {
                entries[peer.code] = Entry(document: document, fetchedAt: Date(), lastError: nil)
            } else if var entry = cached {
                entry.fetchedAt = Date()
                entry.lastError = nil
                entries[peer.code] = entry
            }
        } catch {
            if var entry = cached {
                entry.lastError = error.message
                entries[peer.code] = entry
            } else {
                firstErrors[peer.code] = error.message
            }
            // A refresh cut short by the daemon stopping is not the peer's failure.
            if Task.isCancelled { return }
            logger.notice("peer catalogue refresh failed", metadata: ["tongban.peer": .string(peer.code.rawValue), "tongban.code": .string(error.code.rawValue)])
        }
    }

    /// Why a peer whose directory was never fetched cannot be listed.
    private var firstErrors: [ProvinceCode: String] = [:]
}
