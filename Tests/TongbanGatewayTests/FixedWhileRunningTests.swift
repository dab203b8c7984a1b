import Foundation
import Testing
import TongbanConfig
@testable import TongbanGateway

/// A reload that changes several settings which need a restart names every one of them, not the first.
@Suite struct FixedWhileRunningTests {
    @Test func everyChangedSettingIsNamed() throws {
        let base = """
        province: {code: "11"}
        listen:
          peer: {address: 127.0.0.1, port: 7443}
          local: {address: 127.0.0.1, port: 7080}
        tls: {certificate: a.crt, key: a.key, federationRoots: [r.crt]}
        signing: {certificate: s.crt, key: s.key}
        federation: {id: cn-tongban, file: federation.jws}
        """
        let old = try #require(ConfigLoader.parse(yaml: base, baseDirectory: "/etc/tongban").configuration)
        let changed = base.replacingOccurrences(of: "port: 7080", with: "port: 7081") + "\nlog: {level: debug}\n"
        let new = try #require(ConfigLoader.parse(yaml: changed, baseDirectory: "/etc/tongban").configuration)
        let problems = GatewayState.fixedWhileRunning(old, new)
        #expect(problems.count == 2, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("listen.local cannot change") } && problems.contains { $0.hasPrefix("log.level cannot change") })
    }
}
