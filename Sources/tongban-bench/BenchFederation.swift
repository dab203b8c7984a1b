import AsyncHTTPClient
import Foundation
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanDemo
import TongbanPKI
import TongbanSigning

/// The benchmark's federation: the server province (北京 11, pinned to its core) holds the records; the
/// client province (上海 31) is the identity the load generator signs as (a member of the manifest, whose
/// daemon also runs).
struct BenchFederation {
    static let server = try! ProvinceCode("11")
    static let client = try! ProvinceCode("31")

    let federation: DemoFederation
    var document: FederationDocument
    var serverProvince: FederationDocument.Province { document.provinces[0] }
    var clientProvince: FederationDocument.Province { document.provinces[1] }
    var serverPID: Int32 { serverProvince.pid }
    var peer: GatewayConfiguration.Peer { .init(code: Self.server, name: Self.server.officialName, url: serverProvince.peerURL) }

    /// - Parameter signing: the key type of both provinces (P-256 by default; `--signing-alg sm2` measures SM2).
    /// - Parameter store: where both provinces keep their state (PostgreSQL: a private cluster, `--postgres-records`).
    static func up(directory: String, tongband: String, serverLauncher: [String], signing: SigningKeyType = .p256,
                   store: StoreKind = .sqlite) async throws -> BenchFederation {
        let federation = DemoFederation(directory: directory)
        await federation.down()
        // A fresh store every run: the figures must not depend on what earlier runs left in the audit log.
        try? FileManager.default.removeItem(atPath: directory)
        // The load generator is one peer sending as fast as the server answers: lift the per-peer limits, which
        // are meant for real federations (defaults in docs/deployment.md).
        let limits = "limits:\n  peerRequestsPerSecond: 1000000\n  peerBurst: 1000000\n  concurrentPeerRequests: 100000\n  idleTimeoutSeconds: 3600\n"
        let document = try await federation.up(provinces: [server, client], tongband: tongband, records: 1000,
                                               launcher: [server: serverLauncher], extraConfiguration: limits,
                                               signingAlgorithms: [server: signing, client: signing], layout: DemoLayout(store: store))
        return BenchFederation(federation: federation, document: document)
    }

    func down() async { await federation.down() }

    /// The server's daemon stopped and `tongband` started in its place on the same store (`--compare`).
    mutating func restartServer(tongband: String, launcher: [String]) async throws {
        document = try await federation.restart(Self.server, tongband: tongband, launcher: launcher)
    }

    var clientCredentials: ClientCredentials {
        get throws {
            try ClientCredentials(certificate: clientProvince.tlsCertificate, key: clientProvince.tlsKey,
                                  federationRoots: [clientProvince.rootCA])
        }
    }

    /// A peer client signing as the client province, with `connections` keep-alive connections to the server.
    func peerClient(connections: Int) async throws -> PeerClient {
        let signer = try MessageSigner.province(key: clientProvince.signingKey, certificate: clientProvince.signingCertificate)
        let keys = ManifestPeerKeys(index: try await federation.manifest(), signer: signer)
        return PeerClient(credentials: try clientCredentials, trust: FederationTrust(roots: [try PEMFile.readCertificate(clientProvince.rootCA)]),
                          keys: keys, resilience: PeerResilience(timeoutSeconds: 30, connectTimeoutSeconds: 30, retries: 0, circuitFailureThreshold: 1000), connectionsPerPeer: connections)
    }

    /// Imports `count` synthetic household records (户籍) into the server through its admin socket and
    /// returns their subjects. Earlier, smaller imports are a prefix of this one, so the store grows.
    func seedHouseholds(_ count: Int) async throws -> [String] {
        let (csv, subjects) = Self.households(count)
        try await importHouseholds(csv)
        return subjects
    }

    /// Waits until the seeding has reached the disk: the server has stopped writing (its checkpoints have copied the
    /// import into the database file; no change in its `write_bytes` for a second) and the kernel has written every dirty
    /// page (`sync`). Every audit commit is fsync'd, and on ext4 an fsync also waits for other files' dirty data, so a
    /// scenario started straight after an import of 10⁶ records measured the import's write-back (p99.9 351 ms, p50
    /// ratio 1.28 in round ten's first run). The import scenario measures that cost on purpose. Returns the seconds.
    func settle(limit: Duration = .seconds(120)) async throws -> Double {
        let clock = ContinuousClock(), start = clock.now
        var last = ProcessSample.storageBytesWritten(pid: serverPID)
        while clock.now - start < limit {
            try await Task.sleep(for: .seconds(1))
            let now = ProcessSample.storageBytesWritten(pid: serverPID)
            if now == last { break }
            last = now
        }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread { sync(); done.resume() }.start()
        }
        return LoadGenerator.seconds(clock.now - start)
    }

    /// The first `count` synthetic household records as CSV, and their subjects (the same every time).
    static func households(_ count: Int) -> (csv: Data, subjects: [String]) {
        var records = DemoRecords(province: server, count: count)
        let csv = records.householdCSV()
        return (Data(csv.utf8), records.people.prefix(count).map(\.id))
    }

    /// Imports household records (CSV) into the server through its admin socket, as `tongbanctl import` does.
    func importHouseholds(_ csv: Data) async throws {
        let admin = AdminClient(socketPath: serverProvince.adminSocket)
        let report = try await admin.post("/v1/import?resource=\(DemoCatalogue.household)&format=csv", body: csv,
                                          as: ImportReport.self, timeoutSeconds: 1800)
        guard report.ok else { throw BenchError("the server refused the records: \(report.errors.prefix(3).map(\.description))") }
    }
}
