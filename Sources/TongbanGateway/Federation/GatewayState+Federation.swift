import Foundation
import Logging
import Synchronization
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanPKI

extension GatewayState {
    /// The national matters list of the manifest in force.
    var matters: [Matter] { federation.current.manifest.matters }

    /// Every other member of the federation as the peer client reaches it (its first manifest URL, or the local
    /// `peers:` override), with its status, in the manifest's order.
    func memberEndpoints() -> [(endpoint: PeerEndpoint, status: FederationMember.Status)] {
        let c = configuration
        return federation.current.index.peers(of: c.province).compactMap { member in
            Self.endpoint(of: member, configuration: c).map { ($0, member.status) }
        }
    }

    /// Where the peer client reaches `member`: its first manifest URL, or this gateway's `peers:` override.
    static func endpoint(of member: FederationMember, configuration c: GatewayConfiguration) -> PeerEndpoint? {
        guard let code = try? ProvinceCode(member.province) else { return nil }
        return PeerEndpoint(code: code, name: member.name, url: c.peerOverride(code)?.url ?? member.urls.first ?? "")
    }

    /// The members this gateway calls: the active ones.
    var activePeers: [PeerEndpoint] { memberEndpoints().filter { $0.status == .active }.map(\.endpoint) }

    /// The active members, when this gateway may call anyone at all (its manifest in force, its own province
    /// admitted, a signing key in force); else none, and why. Background calls (directory refreshes, `catalog list
    /// --all`, `peers list` probes) go only to these.
    func callablePeers() -> (peers: [PeerEndpoint], refusal: TongbanError?) {
        do { try requireCalling() } catch { return ([], error) }
        return (activePeers, nil)
    }

    /// Refuses any outbound call while the manifest has expired, this province is not admitted, or none of its
    /// signing keys is in force.
    func requireCalling() throws(TongbanError) {
        try requireFederationInForce()
        let index = federation.current.index
        if case .refused(let refusal, let reason) = index.admitMember(configuration.province) {
            throw TongbanError(refusal, "this gateway's own province is not admitted: \(reason)")
        }
        guard runtime.keys.signerInForce() != nil else {
            throw TongbanError(.signingUnavailable, "none of this gateway's signing keys (signing, signing.next, signing.additional) is listed for province "
                               + "\(configuration.province) in force and unrevoked in manifest serial \(index.manifest.serial)")
        }
    }

    /// The member `code`, when the manifest lets it be called now: a member, active, and the manifest not expired.
    func peer(_ code: ProvinceCode) throws(TongbanError) -> PeerEndpoint {
        // A province the manifest suspends (or no longer lists), or whose keys are not in force, is refused by every
        // peer: say so here, before a handshake or a request they would refuse.
        try requireCalling()
        let index = federation.current.index
        if case .refused(let refusal, let reason) = index.admitMember(code) { throw TongbanError(refusal, reason) }
        guard code != configuration.province, let member = index.member(code), let endpoint = Self.endpoint(of: member, configuration: configuration) else {
            throw TongbanError(.peerUnknown, "province \(code) is this gateway's own province, not a peer")
        }
        if let accepts = member.accepts, runtime.keys.choice(for: member, in: federation.current) == nil {
            throw TongbanError(.signingUnavailable, "province \(code) accepts \(accepts.joined(separator: ", ")) only, and this gateway holds no "
                               + "key of \(accepts.count == 1 ? "that algorithm" : "those algorithms") in force (signing.additional, signing.algorithms)")
        }
        return endpoint
    }

    /// Refuses every exchange once the manifest is past `expiresAt` and the grace (fail-closed).
    func requireFederationInForce(at time: Date = Date()) throws(TongbanError) {
        let active = federation.current
        let settings = configuration.federation
        guard active.expiry(at: time, warning: settings.expiryWarningSeconds, grace: settings.expiryGraceSeconds) != .expired else {
            throw TongbanError(.federationExpired, "the federation manifest (serial \(active.manifest.serial)) expired at "
                               + "\(ISO8601.string(active.manifest.expiresAt)) and no fresh one has arrived")
        }
    }

    /// Asks the manifest's sources — the hub, then `federation.file`, then (only when the hub could not be reached,
    /// or none is configured) the active peers — and applies the valid manifest with the highest serial when it is
    /// higher than the one in force. A lower serial (rollback), a bad or foreign signature, a malformed document or
    /// another federation's manifest is refused and the one in force kept; each refusal is logged and counted.
    func refreshFederation(trigger: String) async -> FederationRefreshReport {
        // One refresh at a time; a second one waits for the first and then runs (an operator's refresh after an
        // emergency revocation must not be lost to a periodic one in progress).
        let waitUntil = ContinuousClock.now + .seconds(60)
        while !federation.refreshing.withLock({ busy in defer { busy = true }; return !busy }) {
            guard ContinuousClock.now < waitUntil else {
                return FederationRefreshReport(outcome: "busy", serial: federation.current.manifest.serial, source: nil, problems: ["a refresh is in progress"])
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        defer { federation.refreshing.withLock { $0 = false } }
        let runtime = self.runtime
        let settings = runtime.configuration.federation
        let current = federation.current
        var problems: [String] = []
        var candidates: [(text: String, source: String)] = []
        var hubAnswered = settings.url == nil
        if let url = settings.url {
            do {
                candidates.append((try await ManifestSources.fetchHub(url, hubCA: settings.hubCA, timeout: .seconds(10)), "hub \(url)"))
                hubAnswered = true
            } catch { problems.append("hub \(url): \(error.message)") }
        }
        if let file = settings.file {
            do {
                if let text = try ManifestSources.read(file) { candidates.append((text, "file \(file)")) } else { problems.append("file \(file): no such file") }
            } catch { problems.append("file \(file): \(error.message)") }
        }
        var fromPeers: [(text: String, source: String)] = []
        if !hubAnswered || (settings.url == nil && settings.file == nil) {
            fromPeers = await withTaskGroup(of: (String, String)?.self) { group in
                for peer in activePeers {
                    group.addTask {
                        do { return (try await ManifestSources.fetchPeer(peer, client: runtime.peerClient), "peer \(peer.code)") } catch {
                            return nil
                        }
                    }
                }
                var texts: [(String, String)] = []
                for await text in group { if let text { texts.append(text) } }
                return texts
            }
            if fromPeers.isEmpty { problems.append("no active peer gave its copy") }
        }
        federation.record.withLock {
            $0.lastCheck = Date()
            $0.nextRefresh = Date().addingTimeInterval(TimeInterval(settings.refreshSeconds))
        }
        guard !candidates.isEmpty || !fromPeers.isEmpty else {
            metrics.federationRefresh(outcome: "unreachable", reason: nil)
            logger.warning("federation manifest: no source answered; the one in force stays", metadata: [
                "tongban.serial": "\(current.manifest.serial)", "tongban.trigger": .string(trigger), "tongban.detail": .string(problems.joined(separator: "; "))])
            return FederationRefreshReport(outcome: "unreachable", serial: current.manifest.serial, source: nil, problems: problems)
        }
        var best: (VerifiedManifest, String)?
        var refusal: (ManifestRefusal, String)?
        let now = Date()
        let highest = federation.record.withLock { $0.highestBySource }
        for (text, source) in candidates + fromPeers {
            // What a peer sends is noted, never a refusal of ours: a peer may be behind, or wrong, and the hub and the
            // file are what this gateway answers for.
            let isPeer = source.hasPrefix("peer ")
            switch await ManifestJWS.check(text, trust: runtime.trust, federation: settings.id, at: now) {
            case .failure(let refused):
                problems.append("\(source): \(refused.reason.rawValue): \(refused.message)")
                if !isPeer { refusal = refusal ?? (refused, source) }
            case .success(let verified):
                let serial = verified.manifest.serial
                if !isPeer { federation.record.withLock { $0.highestBySource[source] = max($0.highestBySource[source] ?? 0, serial) } }
                if serial < current.manifest.serial {
                    problems.append("\(source): serial \(serial) is lower than \(current.manifest.serial) in force")
                    // A rollback: the hub or the file going below what it gave before. A source that has never had
                    // anything newer (a bootstrap copy left at federation.file) is only behind.
                    if !isPeer, serial < highest[source] ?? 0 {
                        refusal = refusal ?? (ManifestRefusal(reason: .rollback, message: "serial \(serial) is lower than \(highest[source] ?? 0), which "
                                                              + "this source gave before, and than \(current.manifest.serial) in force"), source)
                    }
                } else if verified.manifest.expiresAt <= now {
                    problems.append("\(source): serial \(serial) expired at \(ISO8601.string(verified.manifest.expiresAt))")
                    if !isPeer, serial > current.manifest.serial {
                        refusal = refusal ?? (ManifestRefusal(reason: .expired, message: "serial \(serial) expired at \(ISO8601.string(verified.manifest.expiresAt))"), source)
                    }
                } else if serial > best?.0.manifest.serial ?? current.manifest.serial {
                    best = (verified, source)
                }
            }
        }
        if let (refused, source) = refusal {
            metrics.federationRefresh(outcome: "refused", reason: refused.reason.rawValue)
            federation.record.withLock {
                $0.lastRefusal = "\(source): \(refused.reason.rawValue): \(refused.message)"
                $0.lastRefusalAt = now
            }
            logger.warning("federation manifest refused; the one in force stays", metadata: [
                "tongban.source": .string(source), "tongban.reason": .string(refused.reason.rawValue), "tongban.detail": .string(refused.message),
                "tongban.serial": "\(current.manifest.serial)"])
        }
        guard let (verified, source) = best else {
            if refusal == nil { metrics.federationRefresh(outcome: "unchanged", reason: nil) }
            return FederationRefreshReport(outcome: refusal == nil ? "unchanged" : "refused", serial: current.manifest.serial, source: nil, problems: problems)
        }
        do { try FederationPersistence.save(verified.jws, stateDirectory: runtime.configuration.stateDirectory) } catch {
            // Applied all the same: refusing a newer manifest (a revocation) because the disk is full would be worse.
            logger.error("federation manifest: cannot keep the last good copy", metadata: ["tongban.detail": .string("\(error)")])
        }
        federation.replace(with: ActiveFederation(verified, source: source))
        let settingsNow = verified.manifest.protocol
        replays.widen(to: TimeInterval(settingsNow.signatureWindowSeconds + settingsNow.clockSkewSeconds))
        metrics.federationRefresh(outcome: "applied", reason: nil)
        let manifest = verified.manifest
        logger.notice("federation manifest applied", metadata: [
            "tongban.serial": "\(manifest.serial)", "tongban.previous": "\(current.manifest.serial)", "tongban.source": .string(source),
            "tongban.trigger": .string(trigger), "tongban.suspended": .string(manifest.members.filter { $0.status == .suspended }.map(\.province).joined(separator: ","))])
        do { try requireCalling() } catch {
            logger.error("this gateway cannot call its peers under the manifest in force", metadata: [
                "tongban.code": .string(error.code.rawValue), "tongban.detail": .string(error.message)])
        }
        return FederationRefreshReport(outcome: "applied", serial: manifest.serial, source: source, problems: problems)
    }

    func federationStatus(now: Date = Date()) -> FederationStatus {
        let active = federation.current
        let manifest = active.manifest
        let settings = configuration.federation
        let record = federation.record.withLock { $0 }
        var status = FederationStatus(
            federation: manifest.federation, serial: manifest.serial, issuedAt: manifest.issuedAt, expiresAt: manifest.expiresAt,
            source: active.source, appliedAt: active.appliedAt, members: manifest.members.count,
            suspended: manifest.members.filter { $0.status == .suspended }.map(\.province), revocations: manifest.revocations.count,
            matters: manifest.matters.count,
            state: active.expiry(at: now, warning: settings.expiryWarningSeconds, grace: settings.expiryGraceSeconds).rawValue)
        status.lastCheck = record.lastCheck
        status.nextRefresh = record.nextRefresh
        status.lastRefusal = record.lastRefusal
        status.lastRefusalAt = record.lastRefusalAt
        return status
    }

    /// The status's warnings about the manifest: expiring, past expiry, or no key of this province in force.
    func federationWarnings(now: Date = Date()) -> [String] {
        let active = federation.current
        let settings = configuration.federation
        var warnings: [String] = []
        switch active.expiry(at: now, warning: settings.expiryWarningSeconds, grace: settings.expiryGraceSeconds) {
        case .ok: break
        case .expiring: warnings.append("federation manifest serial \(active.manifest.serial) expires at \(ISO8601.string(active.manifest.expiresAt))")
        case .grace: warnings.append("federation manifest serial \(active.manifest.serial) expired at \(ISO8601.string(active.manifest.expiresAt)); "
                                     + "exchanges stop \(settings.expiryGraceSeconds) s later unless a fresh one arrives")
        case .expired: warnings.append("federation manifest serial \(active.manifest.serial) expired: exchanges are refused (tongban.federation.expired)")
        }
        let kids = runtime.signerKeyIDs
        if active.index.signingKeyToUse(own: configuration.province, candidates: kids, at: now) == nil {
            warnings.append("none of this gateway's signing keys is in force in the manifest: peers refuse its signatures")
        }
        return warnings
    }
}
