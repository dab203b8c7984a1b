import Foundation
import Testing
import TongbanClient
import TongbanCore
import TongbanTestKit

/// What a new operator meets (issue 31): every bad input refused clearly, with where it is; every command
/// scriptable.
@Suite(.serialized) struct OperatorTests {
    /// An audit export with a bound it cannot read exports nothing and exits 1; the forms the docs name work.
    @Test func auditExportRefusesWhatItCannotRead() async throws {
        let f = try await ExchangeTests.Federation.start()
        _ = try await f.query(TestCatalogue.household, "medical-registration", [ExchangeTests.person])
        let socket = ["--socket", f.federation["11"].adminSocket]
        for bad in [["--until", "2000-01-32"], ["--since", "yesterday"], ["--direction", "sideways"], ["--since", "2026-13-01"],
                    ["--since", "2030-01-01", "--until", "2029-01-01"]] {
            let result = try Spawn.capture(BuiltProducts.tongbanctl, ["audit", "export"] + bad + socket)
            #expect(result.status == 1, "\(bad): \(result.output)")
            #expect(!result.output.contains("\"requestId\""), "\(bad) exported entries: \(result.output)")
            #expect(result.output.contains(bad[1]) || result.output.contains("the range is empty"), "\(bad): the message names the value: \(result.output)")
        }
        // A plain date is the start of that day in Beijing time; tomorrow is after the exchange, 2000 before it.
        let tomorrow = Date().addingTimeInterval(86_400 + 8 * 3600)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let parts = calendar.dateComponents([.year, .month, .day], from: tomorrow)
        let day = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
        let all = try Spawn.capture(BuiltProducts.tongbanctl, ["audit", "export", "--since", "2000-01-01", "--until", day] + socket)
        #expect(all.status == 0 && all.output.split(separator: "\n").count == 1, "\(all.output)")
        let none = try Spawn.capture(BuiltProducts.tongbanctl, ["audit", "export", "--since", day] + socket)
        #expect(none.status == 0 && none.output.isEmpty, "\(none.output)")
        let rfc = try Spawn.capture(BuiltProducts.tongbanctl, ["audit", "export", "--since", "2000-01-01T08:00:00+08:00", "--direction", "out"] + socket)
        #expect(rfc.status == 0 && rfc.output.split(separator: "\n").count == 1, "\(rfc.output)")
        // The daemon refuses an unreadable bound too (a client that does not check).
        await #expect { _ = try await f.bj.get("/v1/audit?until=2000-01-32", as: [AuditEntry].self) } throws: {
            ($0 as? TongbanError)?.code == .requestInvalid
        }
        await f.stop()
    }

    /// A problem in the catalogue is blamed on the catalogue file and its line, once, by --check-config and by a
    /// reload; a value from the environment is blamed on its variable.
    @Test func problemsNameTheirOwnFile() async throws {
        let federation = try TestFederation(provinces: ["11", "31"], catalogue: TestCatalogue.exchangeYAML())
        defer { federation.remove() }
        let member = federation["11"]
        let daemon = try await RunningDaemon(member)
        let catalogue = member.home + "/catalogue.yaml"
        let original = try String(contentsOfFile: catalogue, encoding: .utf8)
        var broken = original
        broken.replaceSubrange(broken.range(of: "updateCycle: daily")!, with: "updateCycle: hourly")
        try broken.write(toFile: catalogue, atomically: true, encoding: .utf8)
        let line = original.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("updateCycle: daily") }! + 1
        let check = try Spawn.capture(BuiltProducts.tongband, ["--check-config", "--config", member.configPath])
        #expect(check.status == 1)
        #expect(check.output.contains("\(catalogue): line \(line): resources[0](\(TestCatalogue.household)).updateCycle"), "\(check.output)")
        #expect(!check.output.contains("tongband.yaml: line \(line)"), "\(check.output)")
        let reload = try Spawn.capture(BuiltProducts.tongbanctl, ["reload", "--socket", member.adminSocket])
        #expect(reload.status != 0)
        #expect(reload.output.components(separatedBy: "updateCycle:").count - 1 == 1, "each problem once:\n\(reload.output)")
        #expect(reload.output.contains("\(catalogue): line \(line)"), "\(reload.output)")
        try original.write(toFile: catalogue, atomically: true, encoding: .utf8)
        let environment = try Spawn.capture(BuiltProducts.tongband, ["--check-config", "--config", member.configPath],
                                            environment: ProcessInfo.processInfo.environment.merging(["TONGBAN_LISTEN_PEER_PORT": "abc"]) { $1 })
        #expect(environment.status == 1)
        #expect(environment.output.contains("environment variable TONGBAN_LISTEN_PEER_PORT: listen.peer.port: must be a whole number"),
                "\(environment.output)")
        #expect(await daemon.stop() == 0)
    }

    /// --check-config (the unit's ExecStartPre, run as the daemon's user) names state files that user cannot
    /// write, a cut audit secret and a department listed twice; the start that follows names the file too.
    @Test func checkConfigNamesUnusableStateFiles() async throws {
        let federation = try TestFederation(provinces: ["11", "31"],
                                            extraConfig: "departments:\n  - {code: \"11010500\", name: 朝阳区公安分局, tokenSHA256: \(String(repeating: "a", count: 64))}\n"
                                                + "  - {code: \"11010500\", name: 朝阳区, tokenSHA256: \(String(repeating: "b", count: 64))}\n")
        defer { federation.remove() }
        let member = federation["11"]
        let twice = try Spawn.capture(BuiltProducts.tongband, ["--check-config", "--config", member.configPath])
        #expect(twice.status == 1 && twice.output.contains("department code 11010500 is listed 2 times"), "\(twice.output)")
        let config = try String(contentsOfFile: member.configPath, encoding: .utf8)
        try String(config[..<config.range(of: "departments:")!.lowerBound]).write(toFile: member.configPath, atomically: true, encoding: .utf8)
        let daemon = try await RunningDaemon(member)
        #expect(await daemon.stop() == 0)
        // Everything readable by group nogroup, the state files root's own: as nobody, check-config must see it.
        for path in [federation.directory.path, member.home, member.pki] { chmod(path, 0o755) }
        _ = try Spawn.capture("/bin/chgrp", ["-R", "nogroup", member.home])
        _ = try Spawn.capture("/bin/chmod", ["-R", "g+rX", member.home])
        _ = try Spawn.capture("/bin/chmod", ["0600", member.home + "/state/tongban.sqlite"])
        _ = try Spawn.capture("/bin/chmod", ["0777", member.home + "/state"])
        let asNobody = try Spawn.capture("/usr/sbin/runuser", ["-u", "nobody", "--", BuiltProducts.tongband, "--check-config", "--config", member.configPath])
        #expect(asNobody.status == 1)
        #expect(asNobody.output.contains("\(member.home)/state/tongban.sqlite is not readable and writable by this user (owner root"), "\(asNobody.output)")
        let key = member.home + "/state/audit.key"
        try Data(repeating: 7, count: 16).write(to: URL(fileURLWithPath: key))
        let cut = try Spawn.capture(BuiltProducts.tongband, ["--check-config", "--config", member.configPath])
        #expect(cut.status == 1 && cut.output.contains("audit.key has 16 bytes, not 32"), "\(cut.output)")
    }

    /// A port in use is one line naming the listener and the address, and nothing misleading before it.
    @Test func aPortInUseNamesTheListener() async throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        let holder = try BlackHole(port: federation["11"].peerPort)
        let result = try Spawn.capture(BuiltProducts.tongband, ["--config", federation["11"].configPath])
        holder.close()
        #expect(result.status == 1)
        #expect(result.output.contains("the peer listener cannot listen on 127.0.0.1:\(federation["11"].peerPort): the address is in use"), "\(result.output)")
        for misleading in ["CancellationError", "catalogue refresh", "WAL checkpoint", "errno"] {
            #expect(!result.output.contains(misleading), "\(misleading) in:\n\(result.output)")
        }
    }

    /// Scripting: --json on query, verify, audit show and verify; errors as problem documents with --json; a
    /// missing daemon is its own code; peers list exits 2 when a peer is down and says why in words.
    @Test func commandsAreScriptable() async throws {
        let f = try await ExchangeTests.Federation.start()
        let socket = ["--socket", f.federation["11"].adminSocket]
        let query = try Spawn.capture(BuiltProducts.tongbanctl, ["query", "--peer", "31", "--resource", TestCatalogue.household,
                                                                 "--matter", "medical-registration", "--json", ExchangeTests.person] + socket)
        #expect(query.status == 0, "\(query.output)")
        let result = try JSONCoding.decoder().decode(OutboundResult.self, from: Data(query.output.utf8))
        for arguments in [["audit", "show", "--json", result.requestId], ["audit", "verify", "--json"],
                          ["verify", "--peer", "31", "--resource", TestCatalogue.household, "--matter", "medical-registration",
                           "--subject", ExchangeTests.person, "--claim", "name=王小明", "--json"]] {
            let run = try Spawn.capture(BuiltProducts.tongbanctl, arguments + socket)
            #expect(run.status == 0, "\(arguments): \(run.output)")
            #expect((try? JSONSerialization.jsonObject(with: Data(run.output.utf8))) != nil, "\(arguments) printed no JSON: \(run.output)")
        }
        let missing = try Spawn.capture(BuiltProducts.tongbanctl, ["audit", "verify", "--json", "--socket", "/tmp/tongban-none.sock"])
        #expect(missing.status == 1)
        let problem = try JSONCoding.decoder().decode(Problem.self, from: Data(missing.output.utf8))
        #expect(problem.code == "tongban.daemon.unreachable" && problem.detail?.contains("/tmp/tongban-none.sock") == true)

        let up = try Spawn.capture(BuiltProducts.tongbanctl, ["peers", "list"] + socket)
        #expect(up.status == 0, "\(up.output)")
        #expect(await f.shanghai.stop() == 0)
        let down = try Spawn.capture(BuiltProducts.tongbanctl, ["peers", "list"] + socket)
        #expect(down.status == 2, "\(down.output)")
        #expect(down.output.contains("province 31 at https://127.0.0.1:\(f.federation["31"].peerPort): connection refused"), "\(down.output)")
        #expect(!down.output.contains("SingleConnectionFailure") && !down.output.contains("errno"), "\(down.output)")
        #expect(await f.beijing.stop() == 0)
    }
}
