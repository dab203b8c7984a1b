import Foundation
import Testing
import TongbanCore
@testable import TongbanConfig
import TongbanTestKit

@Suite struct ConfigLoaderTests {
    static let valid = """
    province:
      code: "11"
      name: 北京市
    listen:
      peer: {address: 0.0.0.0, port: 7443}
      local: {address: 127.0.0.1, port: 7080}
      admin: /run/tongban/admin.sock
    tls:
      certificate: pki/tls.crt
      key: pki/tls.key
      federationRoots: [pki/root.crt]
    signing:
      certificate: pki/signing.crt
      key: /etc/tongban/pki/signing.key
    state:
      directory: /var/lib/tongban
    federation:
      id: cn-tongban
      url: https://hub.example.cn/tongban/manifest.jws
    peers:
      - code: "31"
        name: 上海市
        url: https://sh.gw.example:7443
      - code: 44
        url: https://gd.gw.example:7443/
    """

    @Test func parsesAValidFileAndResolvesRelativePaths() throws {
        let result = ConfigLoader.parse(yaml: Self.valid, baseDirectory: "/etc/tongban")
        #expect(result.problems.isEmpty, "\(result.problems)")
        let c = try #require(result.configuration)
        #expect(c.province.rawValue == "11")
        #expect(c.peerListener == .init(address: "0.0.0.0", port: 7443))
        #expect(c.tls.certificate == "/etc/tongban/pki/tls.crt")
        #expect(c.tls.federationRoots == ["/etc/tongban/pki/root.crt"])
        #expect(c.signing.key == "/etc/tongban/pki/signing.key")
        #expect(c.peers.map(\.code.rawValue) == ["31", "44"])
        #expect(c.peers[1].name == "广东省")
        #expect(c.peers[1].url == "https://gd.gw.example:7443")
        #expect(c.peerTimeoutSeconds == 10)
        #expect(c.logLevel == "info")
    }

    @Test func defaultsApplyWhenOptionalSectionsAreAbsent() throws {
        let yaml = """
        province: {code: "31"}
        tls: {certificate: a.crt, key: a.key, federationRoots: root.crt}
        signing: {certificate: s.crt, key: s.key}
        federation: {id: cn-tongban, file: federation.jws}
        """
        let c = try #require(ConfigLoader.parse(yaml: yaml, baseDirectory: "/x").configuration)
        #expect(c.localListener == .init(address: "127.0.0.1", port: 7080))
        #expect(c.adminSocket == "/run/tongban/admin.sock")
        #expect(c.stateDirectory == "/var/lib/tongban")
        #expect(c.provinceName == "上海市")
        #expect(c.peers.isEmpty)
        #expect(c.peerRequestsPerSecond == 200 && c.peerBurst == 400 && c.concurrentPeerRequests == 256)
        #expect(c.idleTimeoutSeconds == 30)
        #expect(c.compressionLevel == 1)
        let level6 = try #require(ConfigLoader.parse(yaml: yaml + "\ncompression: {level: 6}\n", baseDirectory: "/x").configuration)
        #expect(level6.compressionLevel == 6)
        let fromEnvironment = try #require(ConfigLoader.parse(yaml: yaml, baseDirectory: "/x", environment: ["TONGBAN_COMPRESSION_LEVEL": "9"]).configuration)
        #expect(fromEnvironment.compressionLevel == 9)
    }

    @Test func peerLimitsAreReadAndOverridable() throws {
        let yaml = Self.valid + "\nlimits: {peerRequestsPerSecond: 2.5, peerBurst: 10, concurrentPeerRequests: 64}\n"
        let c = try #require(ConfigLoader.parse(yaml: yaml, baseDirectory: "/x").configuration)
        #expect(c.peerRequestsPerSecond == 2.5 && c.peerBurst == 10 && c.concurrentPeerRequests == 64)
        let overridden = try #require(ConfigLoader.parse(yaml: yaml, baseDirectory: "/x",
                                                         environment: ["TONGBAN_LIMITS_PEER_BURST": "20"]).configuration)
        #expect(overridden.peerBurst == 20)
    }

    /// Each class of error names the key it concerns (and the line, where the key is in the file).
    @Test(arguments: [
        ("province:\n  code: \"99\"\n", "province.code", "unknown province code"),
        ("listen:\n  peer: {port: 70000}\n", "listen.peer.port", "whole number"),
        ("listen:\n  peer: {address: nowhere}\n", "listen.peer.address", "IPv4 or IPv6"),
        ("tls:\n  certficate: x\n", "tls.certficate", "unknown key (did you mean 'certificate'?)"),
        ("tls:\n  key: x\n", "tls.certificate", "missing"),
        ("signing: 5\n", "signing", "mapping"),
        ("peers:\n  - code: \"31\"\n    url: http://x:1\n", "peers[0].url", "https://"),
        ("peers:\n  - code: \"11\"\n    url: https://x:1\n", "peers[0].code", "its own peer"),
        ("peers:\n  - code: \"31\"\n    url: https://x:1\n  - code: \"31\"\n    url: https://y:1\n", "peers[1].code", "twice"),
        ("peerClient: {timeoutSeconds: 0}\n", "peerClient.timeoutSeconds", "number from"),
        ("limits: {peerBurst: 0}\n", "limits.peerBurst", "whole number"),
        ("limits: {peerRequestsPerSecond: 0}\n", "limits.peerRequestsPerSecond", "number from"),
        ("limits: {concurrentPeers: 5}\n", "limits.concurrentPeers", "unknown key"),
        ("limits: {idleTimeoutSeconds: 0}\n", "limits.idleTimeoutSeconds", "whole number"),
        ("log: {level: loud}\n", "log.level", "one of"),
        ("compression: {level: 0}\n", "compression.level", "whole number"),
        ("compression: {levl: 6}\n", "compression.levl", "unknown key"),
        ("listen:\n  peer: {address: 127.0.0.1, port: 7000}\n  local: {address: 127.0.0.1, port: 7000}\n", "listen.local.port", "share port"),
        ("colour: blue\n", "colour", "unknown key"),
        // Keys the federation manifest took over are named with where they went.
        ("signatures: {windowSeconds: 60}\n", "signatures", "the manifest's `protocol`"),
        ("matters: {file: m.yaml}\n", "matters", "federation manifest"),
        ("peerClient: {identityRefreshSeconds: 5}\n", "peerClient.identityRefreshSeconds", "federation manifest"),
        ("federation: {id: Bad_Id, file: f.jws}\n", "federation.id", "lowercase"),
        ("federation: {id: cn}\n", "federation", "name where the manifest comes from"),
        ("federation: {id: cn, url: http://hub/m.jws}\n", "federation.url", "https://"),
        ("federation: {id: cn, file: f.jws, refreshSeconds: 0}\n", "federation.refreshSeconds", "whole number"),
        ("signing:\n  certificate: s.crt\n  key: s.key\n  next: {certificate: n.crt}\n", "signing.next.key", "missing"),
    ])
    func eachErrorNamesItsKey(_ fragment: String, _ key: String, _ message: String) {
        let yaml = Self.merge(fragment)
        let result = ConfigLoader.parse(yaml: yaml, baseDirectory: "/etc/tongban")
        #expect(result.configuration == nil)
        let problem = result.problems.first { $0.key == key }
        #expect(problem != nil, "expected a problem at \(key), got \(result.problems)")
        #expect(problem?.message.contains(message) == true, "\(String(describing: problem))")
    }

    @Test func reportsEveryProblemWithLineNumbers() {
        let yaml = "province:\n  code: \"99\"\nlisten:\n  peer: {port: -1}\ntypo: 1\n"
        let result = ConfigLoader.parse(yaml: yaml, baseDirectory: "/")
        #expect(result.problems.count >= 5)  // province, port, typo, missing tls, missing signing
        #expect(result.problems.first { $0.key == "province.code" }?.line == 2)
        #expect(result.problems.first { $0.key == "typo" }?.line == 5)
    }

    @Test func environmentOverridesScalarKeys() throws {
        let result = ConfigLoader.parse(yaml: Self.valid, baseDirectory: "/etc/tongban", environment: [
            "TONGBAN_LISTEN_PEER_PORT": "9443", "TONGBAN_TLS_FEDERATION_ROOTS": "/a.crt, b.crt", "TONGBAN_LOG_LEVEL": "debug",
        ])
        let c = try #require(result.configuration, "\(result.problems)")
        #expect(c.peerListener.port == 9443)
        #expect(c.tls.federationRoots == ["/a.crt", "/etc/tongban/b.crt"])
        #expect(c.logLevel == "debug")
    }

    @Test func unknownEnvironmentOverrideIsAProblem() {
        let result = ConfigLoader.parse(yaml: Self.valid, baseDirectory: "/", environment: ["TONGBAN_LISTEN_PEER_PROT": "1"])
        #expect(result.problems.map(\.key) == ["TONGBAN_LISTEN_PEER_PROT"])
    }

    @Test func invalidYAMLIsReported() {
        let result = ConfigLoader.parse(yaml: "province: [unclosed", baseDirectory: "/")
        #expect(result.problems.first?.message.contains("not valid YAML") == true)
    }

    /// Replaces or adds top-level sections of the valid file with `fragment`.
    static func merge(_ fragment: String) -> String {
        let replaced = Set(fragment.split(separator: "\n").compactMap { line -> String? in
            guard let first = line.first, first != " ", let colon = line.firstIndex(of: ":") else { return nil }
            return String(line[..<colon])
        })
        var kept: [String] = []
        var skipping = false
        for line in valid.split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, first != " " {
                skipping = replaced.contains(String(line.prefix { $0 != ":" }))
            }
            if !skipping { kept.append(String(line)) }
        }
        return kept.joined(separator: "\n") + "\n" + fragment
    }
}

/// `store:`: SQLite by default, PostgreSQL with a URL, and each mistake named at its key.
@Suite struct StoreSettingsTests {
    static func load(_ yaml: String, environment: [String: String] = [:]) -> ConfigLoader.Result {
        ConfigLoader.parse(yaml: ConfigLoaderTests.valid + "\n" + yaml, baseDirectory: "/etc/tongban", environment: environment)
    }

    @Test func sqliteUnlessToldOtherwise() throws {
        let c = try #require(Self.load("").configuration)
        #expect(c.store.kind == .sqlite && c.store.url == nil && c.store.cacheSeconds == 1 && c.store.poolSize == 10)
        let pg = try #require(Self.load("store: {kind: postgresql, url: \"postgresql://tongban@db:5432/tongban\", poolSize: 4, cacheSeconds: 2, passwordFile: db.pw}\n").configuration)
        #expect(pg.store.kind == .postgresql && pg.store.poolSize == 4 && pg.store.cacheSeconds == 2 && pg.store.passwordFile == "/etc/tongban/db.pw")
        let overridden = try #require(Self.load("", environment: ["TONGBAN_STORE_KIND": "postgresql", "TONGBAN_STORE_URL": "postgresql://u@h/d"]).configuration)
        #expect(overridden.store.kind == .postgresql && overridden.store.url == "postgresql://u@h/d")
    }

    @Test(arguments: [
        ("store: {kind: mysql}\n", "store.kind"),
        ("store: {kind: postgresql}\n", "store.url"),
        ("store: {kind: postgresql, url: \"http://h/d\"}\n", "store.url"),
        ("store: {kind: postgresql, url: \"postgresql://h/d\"}\n", "store.url"),
        ("store: {url: \"postgresql://u@h/d\"}\n", "store.url"),
        ("store: {kind: postgresql, url: \"postgresql://u@h/d\", cacheSeconds: 600}\n", "store.cacheSeconds"),
    ])
    func mistakesAreNamedAtTheirKey(yaml: String, key: String) {
        let result = Self.load(yaml)
        #expect(result.configuration == nil && result.problems.contains { $0.key == key }, "\(result.problems)")
    }
}
