import Foundation
import Synchronization
import Logging
import TongbanConfig
import TongbanCore
import TongbanPKI

/// The manifest a gateway starts on: the valid one with the highest serial among the last good copy
/// (`STATE/federation.jws`), `federation.file` and, when reachable within a few seconds, the hub. Peers are
/// asked by the first refresh, once the peer client runs. Without any valid manifest the gateway does not start.
/// A manifest past its expiry never displaces one still in force, whatever its serial (as a refresh refuses it);
/// only when every valid copy has expired does the gateway start on the highest, fail-closed.
enum FederationStartup {
    static func load(_ c: GatewayConfiguration, trust: FederationTrust, logger: Logger, now: Date = Date()) async throws(TongbanError) -> FederationState {
        var looked: [String] = []
        var best: (VerifiedManifest, String)?
        var served: [String: Int] = [:]
        // As a refresh does, with the last good copy (the disk's) as the one in force: another copy replaces it only
        // with a higher serial that has not expired, so a start never goes back to a lower serial, even an unexpired
        // one (that would undo a suspension). Without a last good copy the highest serial is taken, expired or not —
        // an expired one starts the gateway in the fail-closed state.
        func consider(_ text: String?, source: String) async {
            guard let text else { looked.append("\(source): none"); return }
            switch await ManifestJWS.check(text, trust: trust, federation: c.federation.id, at: now) {
            case .success(let verified):
                if !source.hasPrefix("disk ") { served[source] = verified.manifest.serial }
                let expired = verified.manifest.expiresAt <= now
                if expired {
                    looked.append("\(source): expired: serial \(verified.manifest.serial) expired at \(ISO8601.string(verified.manifest.expiresAt))")
                    logger.warning("federation manifest expired", metadata: ["tongban.source": .string(source), "tongban.reason": "expired",
                                                                             "tongban.serial": "\(verified.manifest.serial)"])
                }
                guard let current = best else { best = (verified, source); return }
                let baseIsLastGood = current.1.hasPrefix("disk ")
                if verified.manifest.serial > current.0.manifest.serial, !(expired && baseIsLastGood) { best = (verified, source) }
            case .failure(let refusal):
                looked.append("\(source): \(refusal.reason.rawValue): \(refusal.message)")
                logger.warning("federation manifest refused", metadata: ["tongban.source": .string(source), "tongban.reason": .string(refusal.reason.rawValue),
                                                                         "tongban.detail": .string(refusal.message)])
            }
        }
        let disk = c.stateDirectory + "/" + StateFiles.federationManifest
        do { await consider(try ManifestSources.read(disk), source: "disk \(disk)") } catch { looked.append("disk \(disk): \(error.message)") }
        if let file = c.federation.file {
            do { await consider(try ManifestSources.read(file), source: "file \(file)") } catch { looked.append("file \(file): \(error.message)") }
        }
        if let url = c.federation.url {
            do { await consider(try await ManifestSources.fetchHub(url, hubCA: c.federation.hubCA, timeout: .seconds(5)), source: "hub \(url)") } catch {
                looked.append("hub \(url): \(error.message)")
            }
        }
        guard let (verified, source) = best else {
            throw TongbanError(.manifestInvalid, "no valid federation manifest of federation \(c.federation.id) — " + looked.joined(separator: "; "))
        }
        let active = ActiveFederation(verified, source: source)
        if !source.hasPrefix("disk") { try? FederationPersistence.save(verified.jws, stateDirectory: c.stateDirectory) }
        logger.notice("federation manifest in force", metadata: [
            "tongban.federation": .string(verified.manifest.federation), "tongban.serial": "\(verified.manifest.serial)", "tongban.source": .string(source)])
        let state = FederationState(active)
        state.record.withLock { $0.highestBySource = served }
        return state
    }
}
