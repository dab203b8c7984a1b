import ArgumentParser
import Foundation
import TongbanClient
import TongbanCore
import TongbanDemo
import TongbanPKI

/// `tongbanctl demo up|down`: a whole federation on this machine's loopback, in one command.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "A local federation of gateways on loopback, for trying Tongban.",
        subcommands: [Up.self, Down.self, DemoTour.self, Converge.self])

    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a federation PKI, configs and state for each province, start one tongband each, wait until ready, write DIR/federation.json.")

        @Option(name: .long, help: "Directory for the federation's files.") var dir: String
        @Option(name: .long, help: "Comma-separated province codes, or 'all' for the 31 (GB/T 2260 11–65).") var provinces = "11,31,44"
        @Option(name: .long, help: "The tongband executable (default: beside tongbanctl).") var tongband: String?
        @Option(name: .long, help: "Demo records per resource and province.") var records = 10_000
        @Option(name: .long, help: "Signing key types: one for all (sm2, p256, ed25519) or per province (11=sm2,31=p256); default: P-256, SM2 and Ed25519 in turn.")
        var signingAlg: String?
        @Option(name: .long, help: "Where provinces keep their state: sqlite (default) or postgresql (a private PostgreSQL cluster, one database each).")
        var store = "sqlite"
        @Option(name: .long, help: "Run one province on this many replicas behind haproxy (needs --store postgresql).") var replicas = 1
        @Option(name: .long, help: "The replicated province (default: the second of --provinces).") var replicated: String?

        func run() async throws {
            do {
                let codes = provinces == "all" ? ProvinceCode.all
                    : try provinces.split(separator: ",").map { code throws(TongbanError) in try ProvinceCode(String(code)) }
                guard Set(codes).count == codes.count, codes.count >= 2 else { throw DemoError("--provinces needs at least two different codes") }
                let federation = DemoFederation(directory: dir)
                let algorithms = try DemoCommand.signingAlgorithms(signingAlg, provinces: codes)
                guard let storeKind = StoreKind(rawValue: store) else { throw DemoError("--store must be sqlite or postgresql, not \(store)") }
                guard (1...8).contains(replicas) else { throw DemoError("--replicas must be 1 to 8, not \(replicas)") }
                let replicatedCode = try replicated.map { code throws(TongbanError) in try ProvinceCode(code) }
                if let replicatedCode, !codes.contains(replicatedCode) { throw DemoError("--replicated \(replicatedCode) is not one of --provinces") }
                let layout = DemoLayout(store: storeKind, replicas: replicas, replicated: replicatedCode)
                let document = try await federation.up(provinces: codes, tongband: tongband ?? DaemonProcess.executableDirectory + "/tongband",
                                                 records: records, signingAlgorithms: algorithms, layout: layout)
                print("federation up in \(dir) (\(federation.documentPath))")
                let rows = document.provinces.map { province -> [String] in
                    let rss = DemoMeasures.rssMiB(province.pid).map { String(format: "%.1f", $0) } ?? "?"
                    let key = province.signingAlgorithm ?? "?"
                    return [province.code, province.name, key, province.peerURL, province.localURL, province.adminSocket, String(province.pid), rss]
                }
                Console.table(["PROVINCE", "NAME", "SIGNS WITH", "PEER URL", "LOCAL URL", "ADMIN SOCKET", "PID", "RSS MiB"], rows)
                for province in document.provinces where (province.replicas?.count ?? 0) > 1 {
                    print("province \(province.code) runs on \(province.replicas!.count) replicas behind haproxy (\(province.peerURL)), sharing PostgreSQL:")
                    Console.table(["REPLICA", "PEER URL", "LOCAL URL (/healthz)", "ADMIN SOCKET", "PID"], province.replicas!.enumerated().map {
                        [String($0.offset + 1), $0.element.peerURL, $0.element.localURL, $0.element.adminSocket, String($0.element.pid)]
                    })
                }
                if document.postgres != nil { print("state: PostgreSQL (a private cluster in \(dir)/postgres, one database per province)") }
                let rss = document.provinces.compactMap { DemoMeasures.rssMiB($0.pid) }
                print(String(format: "manifest: %d bytes, verified in %.2f ms; %d daemons ready %.2f s after the first started; RSS %.1f–%.1f MiB (mean %.1f)",
                             document.manifestBytes ?? 0, document.manifestVerifyMilliseconds ?? 0, document.provinces.count,
                             document.startupSeconds ?? 0, rss.min() ?? 0, rss.max() ?? 0, rss.isEmpty ? 0 : rss.reduce(0, +) / Double(rss.count)))
            } catch { throw Console.fail(error) }
        }
    }

    /// `--signing-alg`: `sm2` for every province, or `11=sm2,31=p256` for some (the others by default).
    static func signingAlgorithms(_ text: String?, provinces: [ProvinceCode]) throws -> [ProvinceCode: SigningKeyType] {
        guard let text else { return [:] }
        func type(_ name: Substring) throws -> SigningKeyType {
            guard let type = SigningKeyType(rawValue: String(name)) else {
                throw DemoError("--signing-alg: '\(name)' is not one of \(SigningKeyType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return type
        }
        if !text.contains("=") {
            let all = try type(Substring(text))
            return Dictionary(uniqueKeysWithValues: provinces.map { ($0, all) })
        }
        var chosen: [ProvinceCode: SigningKeyType] = [:]
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let code = try? ProvinceCode(String(parts[0])), provinces.contains(code) else {
                throw DemoError("--signing-alg: '\(item)' is not CODE=ALG for a province of --provinces")
            }
            chosen[code] = try type(parts[1])
        }
        return chosen
    }

    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the federation's daemons (files stay in DIR).")

        @Option(name: .long, help: "Directory given to 'demo up'.") var dir: String

        func run() async throws {
            let clean = await DemoFederation(directory: dir).down()
            print(clean ? "federation in \(dir) stopped" : "federation in \(dir) stopped (some daemons had to be killed)")
        }
    }

    struct Converge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign the next manifest serial as the demo's authority and time every gateway's adoption of it.")

        @Option(name: .long, help: "Directory given to 'demo up'.") var dir: String

        func run() async throws {
            do {
                let document = try DemoFederation(directory: dir).load()
                let workspace = AuthorityWorkspace(directory: document.authority)
                let clock = ContinuousClock(), start = clock.now
                let serial = try await workspace.sign().manifest.serial
                var pending = Set(document.provinces.map(\.code))
                var last: Duration = .zero
                while !pending.isEmpty, clock.now - start < .seconds(DemoAuthority.refreshSeconds * 4) {
                    for province in document.provinces where pending.contains(province.code) {
                        let status = try? await AdminClient(socketPath: province.adminSocket).get("/v1/federation", as: FederationStatus.self, timeoutSeconds: 2)
                        if (status?.serial ?? 0) >= serial { pending.remove(province.code); last = clock.now - start }
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
                guard pending.isEmpty else { throw DemoError("provinces \(pending.sorted().joined(separator: ",")) did not apply serial \(serial)") }
                print(String(format: "serial %d signed; all %d gateways applied it within %.2f s (refresh interval %d s)",
                             serial, document.provinces.count, DemoMeasures.seconds(last), DemoAuthority.refreshSeconds))
            } catch { throw Console.fail(error) }
        }
    }
}
