import Foundation
import TongbanClient
import TongbanCore
import TongbanPKI

/// A local federation on loopback: a root CA, one configured and running `tongband` per province.
public struct DemoFederation: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }
    public var documentPath: String { directory + "/federation.json" }

    /// Brings the federation up. `launcher` wraps a province's daemon command (the benchmark pins the server
    /// to a core with `taskset -c 0`); the process keeps its pid, so stopping it works the same.
    /// `extraConfiguration` is appended to every province's YAML (top-level keys; the benchmark lifts `limits`).
    /// `signingAlgorithms` chooses a province's signing key type; by default the provinces take P-256, SM2 and
    /// Ed25519 in turn, so a federation of three exercises every algorithm.
    /// The key type of `code`: as chosen, else P-256, SM2 and Ed25519 in turn by its position.
    public static func signingKeyType(of code: ProvinceCode, in codes: [ProvinceCode], chosen: [ProvinceCode: SigningKeyType]) -> SigningKeyType {
        if let type = chosen[code] { return type }
        return [SigningKeyType.p256, .sm2, .ed25519][(codes.firstIndex(of: code) ?? 0) % 3]
    }

    public func up(provinces: [ProvinceCode], tongband: String, records: Int = 10_000, readyTimeout: Duration = .seconds(60),
                   launcher: [ProvinceCode: [String]] = [:], extraConfiguration: String = "",
                   signingAlgorithms: [ProvinceCode: SigningKeyType] = [:], layout: DemoLayout = DemoLayout()) async throws -> FederationDocument {
        if layout.replicas > 1, layout.store != .postgresql {
            throw DemoError("--replicas \(layout.replicas): replicas share their state through PostgreSQL; add --store postgresql")
        }
        if let existing = try? load(), existing.provinces.contains(where: { DaemonProcess.isRunning($0.pid) }) {
            throw DemoError("a federation is already running in \(directory): run 'tongbanctl demo down --dir \(directory)' first")
        }
        guard FileManager.default.isExecutableFile(atPath: tongband) else {
            throw DemoError("no tongband executable at \(tongband) (build it, or pass --tongband PATH)")
        }
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let root = URL(fileURLWithPath: directory).standardized.path
        guard (root + "/00/admin.sock").utf8.count < 100 else { throw DemoError("\(root) is too long a path for unix sockets; choose a shorter --dir") }

        let caDirectory = root + "/pki/ca"
        try? fm.removeItem(atPath: root + "/pki")
        let ca = try FederationCA.create(name: "Tongban Demo Federation Root CA")
        try ca.write(to: caDirectory)

        var ports: Set<Int> = []
        func port() throws -> Int {
            var candidate = try DaemonProcess.freePort()
            while ports.contains(candidate) { candidate = try DaemonProcess.freePort() }
            ports.insert(candidate)
            return candidate
        }
        /// One tongband: a province's only one, or one of its replicas.
        struct Instance { let peerPort: Int; let localPort: Int; let home: String }
        /// `peerPort` is the province's address in the manifest: its one gateway's, or haproxy's in front of its replicas.
        struct Plan { let code: ProvinceCode; let peerPort: Int; let localPort: Int; let home: String; var instances: [Instance] }
        let replicated = layout.replicas > 1 ? (layout.replicated ?? provinces.dropFirst().first ?? provinces[0]) : nil
        var plans: [Plan] = []
        for code in provinces {
            let home = root + "/" + code.rawValue
            // A new federation starts from nothing: new keys, and no records, grants or audit entries of an earlier one.
            for index in 1...max(layout.replicas, 1) {
                let instanceHome = index == 1 ? home : home + "-r\(index)"
                try? fm.removeItem(atPath: instanceHome + "/pki")
                try? fm.removeItem(atPath: instanceHome + "/state")
            }
            try fm.createDirectory(atPath: home, withIntermediateDirectories: true)
            var plan = Plan(code: code, peerPort: try port(), localPort: try port(), home: home, instances: [])
            if code == replicated {
                for index in 1...layout.replicas {
                    let instanceHome = index == 1 ? home : home + "-r\(index)"
                    try fm.createDirectory(atPath: instanceHome, withIntermediateDirectories: true)
                    plan.instances.append(Instance(peerPort: try port(), localPort: index == 1 ? plan.localPort : try port(), home: instanceHome))
                }
            } else {
                plan.instances = [Instance(peerPort: plan.peerPort, localPort: plan.localPort, home: home)]
            }
            plans.append(plan)
        }
        // PostgreSQL: one private cluster, a database per province (its replicas share it).
        var stores: [ProvinceCode: String] = [:]
        var postgres: LocalPostgres?
        if layout.store == .postgresql {
            try? fm.removeItem(atPath: root + "/postgres")
            let cluster = try LocalPostgres.start(in: root + "/postgres")
            postgres = cluster
            for code in provinces { stores[code] = try cluster.makeDatabase("province\(code.rawValue)") }
        }

        // The federation authority (the national hub's role): its key and certificate from the root, and the
        // manifest that lists every province, signed before any gateway starts. `tongbanctl federation … --dir
        // DIR/authority` works on it like on a real authority's directory.
        let authorityDirectory = root + "/authority"
        try? fm.removeItem(atPath: authorityDirectory)
        let authority = try AuthorityWorkspace.create(directory: authorityDirectory, ca: ca, federation: DemoAuthority.federationID,
                                                     authorityName: "Tongban Demo Federation Authority")
        var document = FederationDocument(createdAt: Date(), rootCA: caDirectory + "/" + FederationCA.certificateFile,
                                          authority: authorityDirectory, manifest: authority.signedPath,
                                          federationID: DemoAuthority.federationID, provinces: [])
        var algorithms: [ProvinceCode: String] = [:]
        for plan in plans {
            let credentials = try ProvinceCredentials.issue(by: ca, province: plan.code, dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"],
                                                            signingKeyType: Self.signingKeyType(of: plan.code, in: plans.map(\.code), chosen: signingAlgorithms))
            try credentials.write(to: plan.home + "/pki")
            algorithms[plan.code] = credentials.signing.algorithm
            let url = "https://127.0.0.1:\(plan.peerPort)"
            if let certificate = credentials.signingCertificate {
                try await authority.addMember(tlsCertificate: credentials.tlsCertificate, signingCertificate: certificate, urls: [url])
            } else {
                // An SM2 key has no certificate: the authority lists its public key (`signing.pub`).
                try await authority.addMember(tlsCertificate: credentials.tlsCertificate, signingKey: try credentials.signing.manifestKey(), urls: [url])
            }
        }
        let signed = try await authority.sign()
        var startedAt = ContinuousClock.now
        let manifestStart = ContinuousClock.now
        _ = try await ManifestJWS.verify(signed.jws, trust: FederationTrust(roots: [ca.certificate]), federation: DemoAuthority.federationID)
        document.manifestBytes = signed.jws.utf8.count
        document.manifestVerifyMilliseconds = Self.milliseconds(ContinuousClock.now - manifestStart)
        document.postgres = postgres
        for plan in plans {
          let position = plans.firstIndex { $0.code == plan.code }!
          for (index, instance) in plan.instances.enumerated() {
            if instance.home != plan.home {
                try? fm.removeItem(atPath: instance.home + "/pki")
                try fm.copyItem(atPath: plan.home + "/pki", toPath: instance.home + "/pki")
            }
            try DemoCatalogue.yaml(province: plan.code, position: position).write(toFile: instance.home + "/catalogue.yaml", atomically: true, encoding: .utf8)
            let store = stores[plan.code].map { "store:\n  kind: postgresql\n  url: \"\($0)\"\n" } ?? ""
            let yaml = """
            # Demo configuration written by 'tongbanctl demo up'. Paths are relative to this file.
            province:
              code: "\(plan.code)"
              name: \(plan.code.officialName)
            listen:
              peer:
                address: 127.0.0.1
                port: \(instance.peerPort)
              local:
                address: 127.0.0.1
                port: \(instance.localPort)
              admin: admin.sock
            tls:
              certificate: pki/tls.crt
              key: pki/tls.key
              federationRoots: [pki/root.crt]
            signing:
            \(FileManager.default.fileExists(atPath: instance.home + "/pki/signing.crt") ? "  certificate: pki/signing.crt\n" : "")  key: pki/signing.key
            state:
              directory: state
            catalogue:
              file: catalogue.yaml
              peerRefreshSeconds: 30
            peerClient:
              timeoutSeconds: 5
            federation:
              id: \(DemoAuthority.federationID)
              # The authority's signed manifest, read in place (a real federation publishes it on the hub: url).
              file: ../authority/\(AuthorityWorkspace.signedFile)
              refreshSeconds: \(DemoAuthority.refreshSeconds)
            \(store)\(extraConfiguration)
            """
            let configPath = instance.home + "/tongband.yaml"
            try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
            if plan.code == plans.first?.code, index == 0 { startedAt = ContinuousClock.now }
            let log = instance.home + "/tongband.log"
            let pid = try Self.spawn(tongband: tongband, config: configPath, launcher: launcher[plan.code] ?? [], log: log, home: instance.home)
            if index > 0 {
                document.provinces[document.provinces.count - 1].replicas?.append(.init(
                    peerURL: "https://127.0.0.1:\(instance.peerPort)", localURL: "http://127.0.0.1:\(instance.localPort)",
                    adminSocket: instance.home + "/admin.sock", config: configPath, log: log, pid: pid))
                continue
            }
            let pki = plan.home + "/pki"
            let signingCertificate: String? = fm.fileExists(atPath: pki + "/signing.crt") ? pki + "/signing.crt" : nil
            let peerURL = "https://127.0.0.1:\(plan.peerPort)", localURL = "http://127.0.0.1:\(plan.localPort)"
            let adminSocket: String = plan.home + "/admin.sock", state: String = plan.home + "/state"
            let tlsCertificate: String = pki + "/tls.crt", tlsKey: String = pki + "/tls.key", signingKey: String = pki + "/signing.key"
            let rootCA: String = pki + "/root.crt", catalogue: String = plan.home + "/catalogue.yaml"
            let province = FederationDocument.Province(
                code: plan.code.rawValue, name: plan.code.officialName, peerURL: peerURL, localURL: localURL,
                adminSocket: adminSocket, config: configPath, tlsCertificate: tlsCertificate, tlsKey: tlsKey,
                signingCertificate: signingCertificate, signingKey: signingKey, signingAlgorithm: algorithms[plan.code],
                rootCA: rootCA, stateDirectory: state, log: log, pid: pid, catalogue: catalogue, samples: [:])
            document.provinces.append(province)
            if plan.instances.count > 1 {
                document.provinces[document.provinces.count - 1].replicas = [.init(
                    peerURL: "https://127.0.0.1:\(instance.peerPort)", localURL: localURL, adminSocket: adminSocket, config: configPath, log: log, pid: pid)]
            }
          }
          if plan.instances.count > 1 {
            // haproxy takes the province's address in the manifest, in front of its replicas.
            document.haproxy = try LocalHAProxy.start(in: root, bind: "127.0.0.1:\(plan.peerPort)", servers: plan.instances.enumerated().map {
                ("replica\($0.offset + 1)", "127.0.0.1", $0.element.peerPort, $0.element.localPort)
            })
          }
        }
        try write(document)

        let deadline = ContinuousClock.now + readyTimeout
        for province in document.provinces.flatMap({ province in
            [province] + (province.replicas ?? []).dropFirst().map { replica in
                var instance = province
                (instance.pid, instance.adminSocket, instance.log) = (replica.pid, replica.adminSocket, replica.log)
                return instance
            }
        }) {
            while true {
                if !DaemonProcess.isRunning(province.pid) {
                    let tail = (try? String(contentsOfFile: province.log, encoding: .utf8))?.split(separator: "\n").suffix(15).joined(separator: "\n") ?? ""
                    await down()
                    throw DemoError("tongband for province \(province.code) exited during start-up; its log:\n\(tail)")
                }
                if let status = try? await AdminClient(socketPath: province.adminSocket).get("/v1/status", as: StatusDocument.self, timeoutSeconds: 2),
                   status.ready { break }
                if ContinuousClock.now > deadline {
                    await down()
                    throw DemoError("tongband for province \(province.code) was not ready within \(readyTimeout); see \(province.log)")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        document.startupSeconds = Self.milliseconds(ContinuousClock.now - startedAt) / 1000
        try await seed(&document, records: records)
        try write(document)
        return document
    }

    /// Imports the demo records of every province through its daemon and notes five subjects per resource.
    public func seed(_ document: inout FederationDocument, records: Int) async throws {
        guard records > 0 else { return }  // an import without rows is refused: a federation of no records has none
        for index in document.provinces.indices {
            let province = document.provinces[index]
            let admin = AdminClient(socketPath: province.adminSocket)
            var data = DemoRecords(province: try ProvinceCode(province.code), count: records)
            for (code, csv) in [(DemoCatalogue.household, data.householdCSV()), (DemoCatalogue.education, data.educationCSV()),
                                (DemoCatalogue.marriage, data.marriageCSV())] {
                let report = try await admin.post("/v1/import?resource=\(code)&format=csv", body: Data(csv.utf8), as: ImportReport.self)
                guard report.ok else {
                    throw DemoError("demo records for \(province.code)/\(code) were refused: \(report.errors.prefix(3).map(\.description).joined(separator: "; "))")
                }
                document.provinces[index].samples[code] = try await admin.get("/v1/samples?resource=\(code)&limit=5", as: [String].self)
            }
        }
    }

    /// Stops every daemon of the federation; true when all exited on SIGTERM.
    @discardableResult
    public func down() async -> Bool {
        guard let document = try? load() else { return true }
        var clean = true
        await withTaskGroup(of: Bool.self) { group in
            for province in document.provinces {
                group.addTask { await DaemonProcess.stop(province.pid) }
                for replica in (province.replicas ?? []).dropFirst() { group.addTask { await DaemonProcess.stop(replica.pid) } }
            }
            for await result in group { clean = clean && result }
        }
        if let haproxy = document.haproxy { _ = await DaemonProcess.stop(haproxy.pid) }
        document.postgres?.stop()
        for province in document.provinces {
            try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: province.config).deletingLastPathComponent().path + "/tongband.pid")
        }
        return clean
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    /// The manifest the federation runs on, verified against its root (for tools that act as one of its provinces).
    public func manifest() async throws -> FederationIndex {
        let document = try load()
        let jws = try String(contentsOfFile: document.manifest, encoding: .utf8)
        let trust = FederationTrust(roots: try PEMFile.readCertificates(document.rootCA))
        return FederationIndex(try await ManifestJWS.verify(jws, trust: trust, federation: document.federationID).manifest)
    }

    public func load() throws -> FederationDocument {
        let data = try Data(contentsOf: URL(fileURLWithPath: documentPath))
        return try JSONCoding.decoder().decode(FederationDocument.self, from: data)
    }

    public func write(_ document: FederationDocument) throws {
        try JSONCoding.encoder(pretty: true).encode(document).write(to: URL(fileURLWithPath: documentPath))
    }
}
