import Foundation
import TongbanCore
import TongbanPKI
import Yams

/// The layout of `tongband.yaml`: which keys exist, their types and defaults.
enum GatewaySchema {
    static let defaultPeerPort = 7443
    static let defaultLocalPort = 7080
    static let defaultAdminSocket = "/run/tongban/admin.sock"
    static let defaultStateDirectory = "/var/lib/tongban"

    static func read(_ root: Node?, with r: inout YAMLReader) -> GatewayConfiguration? {
        guard let top = r.mapping(root ?? Node([(Node, Node)]()), at: "", allowed: ["province", "listen", "tls", "signing", "signatures", "catalogue", "matters", "departments", "limits", "state", "store", "peers", "peerClient", "log", "compression", "fastPath",
                                                                     "federation", "audit", "applications", "corrections", "calendar"]) else { return nil }
        // Keys the federation manifest took over: named, with where they went, rather than "unknown key".
        if top["signatures"] != nil {
            r.problem("signatures", top["signatures"], "the signature window and clock skew are the federation's now (the manifest's `protocol`); remove this section")
        }
        if top["matters"] != nil {
            r.problem("matters", top["matters"], "matters come from the federation manifest now (tongbanctl federation matters import, by the authority); remove this section")
        }

        let provinceMap = r.mapping(top["province"], at: "province", allowed: ["code", "name"])
        var province: ProvinceCode?
        if let code = r.string(provinceMap, "code", at: "province") {
            do { province = try ProvinceCode(code) } catch { r.problem("province.code", provinceMap?["code"], error.message) }
        }
        let provinceName = r.string(provinceMap, "name", at: "province", default: province?.officialName ?? "")

        let listen = r.mapping(top["listen"], at: "listen", allowed: ["peer", "local", "admin"], required: false)
        let peerListener = listener(listen?["peer"], at: "listen.peer", address: "0.0.0.0", port: defaultPeerPort, with: &r)
        let localListener = listener(listen?["local"], at: "listen.local", address: "127.0.0.1", port: defaultLocalPort, with: &r)
        let adminSocket = r.path(listen, "admin", at: "listen", default: defaultAdminSocket)

        let tlsMap = r.mapping(top["tls"], at: "tls", allowed: ["certificate", "key", "federationRoots"])
        let tlsCertificate = r.path(tlsMap, "certificate", at: "tls")
        let tlsKey = r.path(tlsMap, "key", at: "tls")
        let roots = r.paths(tlsMap, "federationRoots", at: "tls")

        let signingMap = r.mapping(top["signing"], at: "signing", allowed: ["certificate", "key", "next", "additional", "algorithms"])
        let signingCertificate = r.optionalPath(signingMap, "certificate", at: "signing")
        let signingKey = r.path(signingMap, "key", at: "signing")
        var nextSigning: GatewayConfiguration.SigningFiles?
        if signingMap?["next"] != nil {
            let nextMap = r.mapping(signingMap?["next"], at: "signing.next", allowed: ["certificate", "key"])
            if let key = r.path(nextMap, "key", at: "signing.next") {
                nextSigning = .init(certificate: r.optionalPath(nextMap, "certificate", at: "signing.next"), key: key)
            }
        }
        var additionalSigning: [GatewayConfiguration.SigningFiles] = []
        for (index, item) in (r.sequence(signingMap?["additional"], at: "signing.additional") ?? []).enumerated() {
            let at = "signing.additional[\(index)]"
            let itemMap = r.mapping(item, at: at, allowed: ["certificate", "key"])
            if let key = r.path(itemMap, "key", at: at) {
                additionalSigning.append(.init(certificate: r.optionalPath(itemMap, "certificate", at: at), key: key))
            }
        }
        let signingAlgorithms = r.strings(signingMap, "algorithms", at: "signing") ?? []
        for algorithm in signingAlgorithms where !ManifestRules.algorithms.contains(algorithm) {
            r.problem("signing.algorithms", signingMap?["algorithms"],
                      "'\(algorithm)' is not one of \(ManifestRules.algorithms.joined(separator: ", "))")
        }

        let federationMap = r.mapping(top["federation"], at: "federation",
                                      allowed: ["id", "url", "hubCA", "file", "refreshSeconds", "expiryWarningSeconds", "expiryGraceSeconds"])
        let federationID = r.string(federationMap, "id", at: "federation")
        let federationURL = r.string(federationMap, "url", at: "federation", default: "")
        if let federationURL, !federationURL.isEmpty {
            if let parsed = URLComponents(string: federationURL), parsed.scheme == "https", parsed.host?.isEmpty == false {} else {
                r.problem("federation.url", federationMap?["url"], "must be an https:// URL of the signed manifest, not '\(federationURL)'")
            }
        }
        let hubCA = r.optionalPath(federationMap, "hubCA", at: "federation")
        let federationFile = r.optionalPath(federationMap, "file", at: "federation")
        let manifestRefresh = r.int(federationMap, "refreshSeconds", at: "federation", default: 300, range: 1...86_400)
        let expiryWarning = r.int(federationMap, "expiryWarningSeconds", at: "federation", default: 86_400, range: 0...(30 * 86_400))
        let expiryGrace = r.int(federationMap, "expiryGraceSeconds", at: "federation", default: 3600, range: 0...(7 * 86_400))
        if federationMap != nil, federationURL?.isEmpty != false, federationFile == nil {
            r.problem("federation", top["federation"], "name where the manifest comes from: federation.url (the hub), federation.file, or both")
        }
        var federation: GatewayConfiguration.FederationSettings?
        if let federationID, let manifestRefresh, let expiryWarning, let expiryGrace {
            if !ASCIIShape.isFederationID(federationID) {
                r.problem("federation.id", federationMap?["id"], "must be 1–63 lowercase letters, digits, dots or hyphens")
            }
            var settings = GatewayConfiguration.FederationSettings(
                id: federationID, url: federationURL?.isEmpty == false ? federationURL : nil, hubCA: hubCA, file: federationFile)
            settings.refreshSeconds = manifestRefresh
            settings.expiryWarningSeconds = expiryWarning
            settings.expiryGraceSeconds = expiryGrace
            federation = settings
        }

        let stateMap = r.mapping(top["state"], at: "state", allowed: ["directory"], required: false)
        let stateDirectory = r.path(stateMap, "directory", at: "state", default: defaultStateDirectory)
        let store = readStore(top["store"], with: &r)

        let clientMap = r.mapping(top["peerClient"], at: "peerClient", allowed: ["timeoutSeconds", "connectTimeoutSeconds", "retries",
                                                                                  "circuitFailureThreshold", "circuitOpenSeconds",
                                                                                  "identityRefreshSeconds"], required: false)
        if clientMap?["identityRefreshSeconds"] != nil {
            r.problem("peerClient.identityRefreshSeconds", clientMap?["identityRefreshSeconds"],
                      "peers' signing keys come from the federation manifest now, refreshed with it (federation.refreshSeconds); remove this key")
        }
        let timeout = r.double(clientMap, "timeoutSeconds", at: "peerClient", default: 10, range: 0.1...300)
        let connectTimeout = r.double(clientMap, "connectTimeoutSeconds", at: "peerClient", default: 3, range: 0.1...300)
        let retries = r.int(clientMap, "retries", at: "peerClient", default: 2, range: 0...10)
        let circuitThreshold = r.int(clientMap, "circuitFailureThreshold", at: "peerClient", default: 5, range: 1...1000)
        let circuitOpen = r.double(clientMap, "circuitOpenSeconds", at: "peerClient", default: 30, range: 0.1...3600)

        let catalogueMap = r.mapping(top["catalogue"], at: "catalogue", allowed: ["file", "peerRefreshSeconds"], required: false)
        let catalogueFile = r.optionalPath(catalogueMap, "file", at: "catalogue")
        let refresh = r.int(catalogueMap, "peerRefreshSeconds", at: "catalogue", default: 300, range: 5...86_400)
        let limitsMap = r.mapping(top["limits"], at: "limits",
                                  allowed: ["maxDecompressedBytes", "maxRequestBodyBytes", "maxHeaderBytes", "maxSubjectsPerQuery",
                                            "peerRequestsPerSecond", "peerBurst", "concurrentPeerRequests", "idleTimeoutSeconds"], required: false)
        let maxDecompressed = r.int(limitsMap, "maxDecompressedBytes", at: "limits", default: 16 * 1024 * 1024, range: 1024...1_073_741_824)
        let maxBody = r.int(limitsMap, "maxRequestBodyBytes", at: "limits", default: 16 * 1024 * 1024, range: 1024...1_073_741_824)
        let maxHeader = r.int(limitsMap, "maxHeaderBytes", at: "limits", default: 16 * 1024, range: 4096...1_048_576)
        let maxSubjects = r.int(limitsMap, "maxSubjectsPerQuery", at: "limits", default: 1000, range: 1...100_000)
        let peerRate = r.double(limitsMap, "peerRequestsPerSecond", at: "limits", default: 200, range: 0.1...1_000_000)
        let peerBurst = r.int(limitsMap, "peerBurst", at: "limits", default: 400, range: 1...1_000_000)
        let concurrent = r.int(limitsMap, "concurrentPeerRequests", at: "limits", default: 256, range: 1...100_000)
        let idleTimeout = r.int(limitsMap, "idleTimeoutSeconds", at: "limits", default: 30, range: 1...3600)

        let auditMap = r.mapping(top["audit"], at: "audit", allowed: ["hash"], required: false)
        var auditHash = AuditHashAlgorithm.sha256
        if let name = r.string(auditMap, "hash", at: "audit", default: "sha256") {
            if let algorithm = AuditHashAlgorithm(rawValue: name) { auditHash = algorithm } else {
                r.problem("audit.hash", auditMap?["hash"], "must be sha256 or sm3, not '\(name)'")
            }
        }
        let compressionMap = r.mapping(top["compression"], at: "compression", allowed: ["level"], required: false)
        let compressionLevel = r.int(compressionMap, "level", at: "compression", default: 1, range: 1...9)
        let fastPathMap = r.mapping(top["fastPath"], at: "fastPath", allowed: ["enabled"], required: false)
        let fastPath = r.bool(fastPathMap, "enabled", at: "fastPath", default: true)

        let applicationsMap = r.mapping(top["applications"], at: "applications", allowed: ["answerWorkingDays", "retrySeconds", "pullSeconds"],
                                        required: false)
        let answerDays = r.int(applicationsMap, "answerWorkingDays", at: "applications", default: 10, range: 1...60)
        let retrySeconds = r.int(applicationsMap, "retrySeconds", at: "applications", default: 10, range: 1...3600)
        let pullSeconds = r.int(applicationsMap, "pullSeconds", at: "applications", default: 300, range: 1...86_400)
        let correctionsMap = r.mapping(top["corrections"], at: "corrections", allowed: ["answerWorkingDays"], required: false)
        let correctionDays = r.int(correctionsMap, "answerWorkingDays", at: "corrections", default: 10, range: 1...60)
        let calendarMap = r.mapping(top["calendar"], at: "calendar", allowed: ["file"], required: false)
        let calendarFile = r.optionalPath(calendarMap, "file", at: "calendar")

        let logMap = r.mapping(top["log"], at: "log", allowed: ["level"], required: false)
        let logLevel = r.string(logMap, "level", at: "log", default: "info")
        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        if let logLevel, !levels.contains(logLevel) {
            r.problem("log.level", logMap?["level"], "must be one of \(levels.joined(separator: ", "))")
        }

        let peers = readPeers(top["peers"], own: province, with: &r)
        let departments = readDepartments(top["departments"], with: &r)

        if let peerListener, let localListener, peerListener.port == localListener.port,
           peerListener.address == localListener.address || peerListener.address == "0.0.0.0" || localListener.address == "0.0.0.0" {
            r.problem("listen.local.port", listen?["local"], "the local listener cannot share port \(peerListener.port) with the peer listener")
        }

        guard let province, let provinceName, let peerListener, let localListener, let adminSocket,
              let tlsCertificate, let tlsKey, let roots, let signingKey,
              let stateDirectory, let timeout, let federation, let refresh, let maxDecompressed, let logLevel, let peers,
              let peerRate, let peerBurst, let concurrent, let idleTimeout, let maxBody, let maxHeader, let maxSubjects,
              let connectTimeout, let retries, let circuitThreshold, let circuitOpen, let compressionLevel,
              let answerDays, let retrySeconds, let pullSeconds, let correctionDays
        else { return nil }
        var configuration = GatewayConfiguration(
            province: province, provinceName: provinceName, peerListener: peerListener, localListener: localListener,
            adminSocket: adminSocket, tls: .init(certificate: tlsCertificate, key: tlsKey, federationRoots: roots),
            signing: .init(certificate: signingCertificate, key: signingKey), nextSigning: nextSigning, federation: federation,
            stateDirectory: stateDirectory, peers: peers,
            peerResilience: PeerResilience(timeoutSeconds: timeout, connectTimeoutSeconds: connectTimeout, retries: retries,
                                           circuitFailureThreshold: circuitThreshold, circuitOpenSeconds: circuitOpen),
            catalogueFile: catalogueFile, peerCatalogueRefreshSeconds: refresh, maxDecompressedBytes: maxDecompressed,
            logLevel: logLevel, departments: departments ?? [])
        configuration.additionalSigning = additionalSigning
        configuration.signingAlgorithms = signingAlgorithms
        configuration.peerRequestsPerSecond = peerRate
        configuration.peerBurst = peerBurst
        configuration.concurrentPeerRequests = concurrent
        configuration.idleTimeoutSeconds = idleTimeout
        configuration.maxRequestBodyBytes = maxBody
        configuration.maxHeaderBytes = maxHeader
        configuration.maxSubjectsPerQuery = maxSubjects
        configuration.compressionLevel = compressionLevel
        configuration.peerFastPath = fastPath ?? true
        configuration.auditHash = auditHash
        configuration.applications.answerWorkingDays = answerDays
        configuration.applications.retrySeconds = retrySeconds
        configuration.applications.pullSeconds = pullSeconds
        configuration.corrections.answerWorkingDays = correctionDays
        configuration.calendarFile = calendarFile
        configuration.store = store
        return configuration
    }

    /// `store:` (StoreSettings): absent means SQLite in the state directory.
    static func readStore(_ node: Node?, with r: inout YAMLReader) -> StoreSettings {
        var settings = StoreSettings()
        let map = r.mapping(node, at: "store", allowed: ["kind", "url", "passwordFile", "caFile", "poolSize", "cacheSeconds", "connectSeconds"],
                            required: false)
        if let kind = r.string(map, "kind", at: "store", default: "sqlite") {
            if let known = StoreKind(rawValue: kind) { settings.kind = known } else {
                r.problem("store.kind", map?["kind"], "must be sqlite or postgresql, not '\(kind)'")
            }
        }
        settings.url = r.optionalString(map, "url", at: "store")
        settings.passwordFile = r.optionalPath(map, "passwordFile", at: "store")
        settings.caFile = r.optionalPath(map, "caFile", at: "store")
        settings.poolSize = r.int(map, "poolSize", at: "store", default: 10, range: 1...1000) ?? 10
        settings.cacheSeconds = r.int(map, "cacheSeconds", at: "store", default: 1, range: 0...60) ?? 1
        settings.connectSeconds = r.int(map, "connectSeconds", at: "store", default: 30, range: 1...600) ?? 30
        if settings.kind == .postgresql, settings.url == nil {
            r.problem("store.url", map?["kind"], "store.kind postgresql needs store.url (postgresql://USER@HOST:PORT/DATABASE)")
        }
        if let url = settings.url {
            let components = URLComponents(string: url)
            if components == nil || !["postgresql", "postgres"].contains(components?.scheme ?? "") || (components?.user ?? "").isEmpty
                || (components?.path ?? "").drop(while: { $0 == "/" }).isEmpty {
                r.problem("store.url", map?["url"], "must be postgresql://USER@HOST[:PORT]/DATABASE[?sslmode=disable|require|verify-full]")
            }
        }
        if settings.kind == .sqlite, settings.url != nil {
            r.problem("store.url", map?["url"], "store.url is for store.kind postgresql; the SQLite store lives in state.directory")
        }
        return settings
    }

    static func listener(_ node: Node?, at path: String, address: String, port: Int, with r: inout YAMLReader) -> GatewayConfiguration.Listener? {
        let map = r.mapping(node, at: path, allowed: ["address", "port"], required: false)
        guard let address = r.string(map, "address", at: path, default: address),
              let port = r.int(map, "port", at: path, default: port, range: 0...65535) else { return nil }
        guard IPAddress.bytes(of: address) != nil else {
            r.problem(path + ".address", map?["address"], "'\(address)' is not an IPv4 or IPv6 address")
            return nil
        }
        return .init(address: address, port: port)
    }

    static func readDepartments(_ node: Node?, with r: inout YAMLReader) -> [GatewayConfiguration.Department]? {
        guard let items = r.sequence(node, at: "departments") else { return node == nil ? [] : nil }
        var departments: [GatewayConfiguration.Department] = []
        for (index, item) in items.enumerated() {
            let path = "departments[\(index)]"
            let map = r.mapping(item, at: path, allowed: ["code", "name", "tokenSHA256"])
            guard let code = r.string(map, "code", at: path), let name = r.string(map, "name", at: path),
                  let hash = r.string(map, "tokenSHA256", at: path) else { continue }
            guard ASCIIShape.isLowercaseHex(hash, length: 64...64) else {
                r.problem(path + ".tokenSHA256", map?["tokenSHA256"], "must be the 64 lowercase hex digits of the token's SHA-256 (tongbanctl token new)")
                continue
            }
            if departments.contains(where: { $0.tokenSHA256 == hash }) { r.problem(path + ".tokenSHA256", map?["tokenSHA256"], "the same token is given to two departments") }
            departments.append(.init(code: code, name: name, tokenSHA256: hash))
        }
        return departments
    }

    static func readPeers(_ node: Node?, own: ProvinceCode?, with r: inout YAMLReader) -> [GatewayConfiguration.Peer]? {
        guard let items = r.sequence(node, at: "peers") else { return node == nil ? [] : nil }
        var peers: [GatewayConfiguration.Peer] = []
        var ok = true
        for (index, item) in items.enumerated() {
            let path = "peers[\(index)]"
            let map = r.mapping(item, at: path, allowed: ["code", "name", "url"])
            guard let codeText = r.string(map, "code", at: path), let url = r.string(map, "url", at: path) else { ok = false; continue }
            let code: ProvinceCode
            do { code = try ProvinceCode(codeText) } catch { r.problem(path + ".code", map?["code"], error.message); ok = false; continue }
            if code == own { r.problem(path + ".code", map?["code"], "a province cannot be its own peer"); ok = false }
            if peers.contains(where: { $0.code == code }) { r.problem(path + ".code", map?["code"], "province \(code) is listed twice"); ok = false }
            guard PeerURL.isValid(url) else {
                r.problem(path + ".url", map?["url"], "must be https://HOST[:PORT] with no path, not '\(url)'")
                ok = false
                continue
            }
            let name = r.string(map, "name", at: path, default: code.officialName) ?? code.officialName
            peers.append(.init(code: code, name: name, url: PeerURL.normalized(url)))
        }
        return ok ? peers : nil
    }
}
