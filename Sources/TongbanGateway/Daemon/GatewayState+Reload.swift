import Foundation
import Logging
import Synchronization
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanStore
import TongbanPKI

extension GatewayState {
    /// Re-reads the configuration file and everything it names — resource directory, departments, peer address
    /// overrides, limits, TLS and signing certificates and keys, federation roots and the manifest's sources — and
    /// puts them in force together, or none of them; then refreshes the manifest.
    /// Open connections and requests in flight are not touched: requests already running finish with the runtime
    /// they started with, new TLS handshakes present the new certificate, the old peer client is closed once its
    /// calls can no longer be running. Listener addresses, the admin socket, the state directory and the province
    /// code cannot change while running.
    func reload() async -> ReloadReport {
        guard reloading.withLock({ busy in defer { busy = true }; return !busy }) else {
            return ReloadReport(applied: false, problems: ["another reload is in progress"], changes: [])
        }
        defer { reloading.withLock { $0 = false } }
        let old = runtime
        var problems: [String] = []
        let next: GatewayConfiguration
        if let configPath {
            let result = await ConfigValidator.check(path: configPath, environment: environment)
            problems += result.problems.map { $0.located(in: configPath) }
            next = result.configuration ?? old.configuration
        } else {
            next = old.configuration
            problems += await ConfigValidator.checkFiles(next).map { $0.located(in: "configuration") }
        }
        problems += Self.fixedWhileRunning(old.configuration, next)
        let directory = CatalogueRegistry.read(path: next.catalogueFile)
        // The validator has named the directory's problems already; these only when the file changed in between.
        if problems.isEmpty { problems += directory.problems.map { $0.located(in: next.catalogueFile ?? "catalogue") } }
        var built: GatewayRuntime?
        if problems.isEmpty {
            do { built = try GatewayRuntime(configuration: next, federation: federation, circuits: old.peerClient.circuits, logger: logger) } catch {
                problems.append(error.message)
            }
        }
        // New federation roots must still carry the manifest in force: a manifest signed under a root that is no longer
        // trusted would otherwise stay in force (and anchor the rollback check) until a restart.
        if problems.isEmpty, let built, built.trust.roots != old.trust.roots {
            let active = federation.current
            if case .failure(let refusal) = await ManifestJWS.check(active.jws, trust: built.trust, federation: next.federation.id) {
                problems.append("the manifest in force (serial \(active.manifest.serial)) does not verify under the new federation roots "
                                + "(\(refusal.message)); place a manifest signed under them at federation.file first, or restart")
            }
        }
        guard problems.isEmpty, let built, let resources = directory.resources else {
            if let built { try? await built.peerClient.shutdown() }
            metrics.reloads(applied: false)
            return ReloadReport(applied: false, problems: problems, changes: [])
        }
        var changes = Self.changes(from: old, to: built)
        let previousResources = await catalogue.resources
        if previousResources != resources { changes.append("resource directory (\(previousResources.count) → \(resources.count) resources)") }
        current.withLock { $0 = built }
        if store.auditHash != next.auditHash {
            changes.append("audit.hash \(store.auditHash.rawValue) → \(next.auditHash.rawValue) (a new segment of the chain begins)")
            store.auditHash = next.auditHash
        }
        await catalogue.replace(path: next.catalogueFile, resources: resources)
        limits.configure(rate: next.peerRequestsPerSecond, burst: next.peerBurst, concurrent: next.concurrentPeerRequests)
        metrics.reloads(applied: true)
        // Calls on the old client may still be running: close it once the longest of them must have ended.
        let grace = Duration.milliseconds(Int64(old.configuration.peerTimeoutSeconds * 1000 * Double(1 + old.configuration.peerResilience.retries))) + .seconds(1)
        let retired = old.peerClient
        Task {
            try? await Task.sleep(for: grace)
            try? await retired.shutdown()
        }
        return ReloadReport(applied: true, problems: [], changes: changes)
    }

    /// Settings that bind sockets or files at start-up: a changed value is refused with a restart hint.
    static func fixedWhileRunning(_ old: GatewayConfiguration, _ new: GatewayConfiguration) -> [String] {
        var problems: [String] = []
        func check<T: Equatable>(_ key: String, _ a: T, _ b: T) {
            if a != b { problems.append("\(key) cannot change while the daemon runs; restart it (systemctl restart tongband)") }
        }
        check("province.code", old.province, new.province)
        check("federation.id", old.federation.id, new.federation.id)
        check("listen.peer", old.peerListener, new.peerListener)
        check("listen.local", old.localListener, new.localListener)
        check("listen.admin", old.adminSocket, new.adminSocket)
        check("state.directory", old.stateDirectory, new.stateDirectory)
        check("limits.idleTimeoutSeconds", old.idleTimeoutSeconds, new.idleTimeoutSeconds)
        check("limits.maxHeaderBytes", old.maxHeaderBytes, new.maxHeaderBytes)
        check("log.level", old.logLevel, new.logLevel)
        return problems
    }

    static func changes(from old: GatewayRuntime, to new: GatewayRuntime) -> [String] {
        var changes: [String] = []
        let a = old.configuration, b = new.configuration
        for (certificate, previous) in zip(new.certificates, old.certificates) where certificate.keyId != previous.keyId {
            changes.append("\(certificate.usage) certificate \(previous.keyId.prefix(16)) → \(certificate.keyId.prefix(16))")
        }
        if new.credentials.privateKey != old.credentials.privateKey { changes.append("TLS key") }
        if a.peers != b.peers { changes.append("peer address overrides (\(a.peers.count) → \(b.peers.count))") }
        if a.federation != b.federation { changes.append("federation sources and refresh") }
        if new.signerKeyIDs != old.signerKeyIDs { changes.append("signing keys (\(old.signerKeyIDs.count) → \(new.signerKeyIDs.count))") }
        if a.departments != b.departments { changes.append("departments (\(a.departments.count) → \(b.departments.count))") }
        if a.tls.federationRoots != b.tls.federationRoots { changes.append("federation roots") }
        if a.catalogueFile != b.catalogueFile { changes.append("catalogue file") }
        if (a.peerRequestsPerSecond, a.peerBurst, a.concurrentPeerRequests) != (b.peerRequestsPerSecond, b.peerBurst, b.concurrentPeerRequests) {
            changes.append("peer admission limits")
        }
        if a.peerResilience != b.peerResilience { changes.append("peer client timeouts, retries and circuit breakers") }
        if new.calendar != old.calendar {
            changes.append("working-day calendar (\(old.calendar.source) → \(new.calendar.source), years \(new.calendar.coveredYears.map(String.init).joined(separator: ", ")))")
        }
        if a.applications != b.applications { changes.append("application deadlines and delivery") }
        if a.corrections != b.corrections { changes.append("correction deadlines") }
        if a.compressionLevel != b.compressionLevel { changes.append("compression level \(a.compressionLevel) → \(b.compressionLevel)") }
        return changes
    }
}
