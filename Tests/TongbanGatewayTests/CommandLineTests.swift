import Foundation
import Testing
import TongbanCore
import TongbanTestKit

/// The built `tongband` and `tongbanctl` executables, as an operator runs them.
@Suite(.serialized) struct CommandLineTests {
    @Test func checkConfigExitsZeroForValidAndOneWithEveryProblem() throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        let good = try Spawn.capture(BuiltProducts.tongband, ["--check-config", "--config", federation["11"].configPath])
        #expect(good.status == 0, "\(good.output)")
        #expect(good.output.contains("configuration is valid"))
        let broken = federation.directory.file("broken.yaml")
        try "province: {code: \"99\"}\nlisten: {peer: {port: 99999}}\ntsl: {}\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let bad = try Spawn.capture(BuiltProducts.tongband, ["--check-config", "--config", broken])
        #expect(bad.status == 1)
        for key in ["province.code", "listen.peer.port", "tsl", "tls", "signing"] {
            #expect(bad.output.contains("\(key):") || bad.output.contains(": \(key)"), "missing \(key) in:\n\(bad.output)")
        }
        #expect(bad.output.contains("line 1"))
    }

    @Test func daemonRefusesToStartOnInvalidConfiguration() throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        try FileManager.default.removeItem(atPath: federation["11"].pki + "/tls.key")
        let result = try Spawn.capture(BuiltProducts.tongband, ["--config", federation["11"].configPath])
        #expect(result.status == 1)
        #expect(result.output.contains("tls.key"))
        #expect(result.output.contains("not starting"))
    }

    @Test func pkiCommandsIssueCertificatesOpenSSLAccepts() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ca = directory.file("ca"), out = directory.file("44")
        let initResult = try Spawn.capture(BuiltProducts.tongbanctl, ["pki", "init", "--dir", ca, "--name", "Test Root"])
        #expect(initResult.status == 0, "\(initResult.output)")
        let again = try Spawn.capture(BuiltProducts.tongbanctl, ["pki", "init", "--dir", ca])
        #expect(again.status != 0)
        #expect(again.output.contains("refusing to overwrite"))
        let issue = try Spawn.capture(BuiltProducts.tongbanctl, ["pki", "issue", "--ca", ca, "--province", "44", "--out", out,
                                                                  "--dns", "gw.gd.example", "--ip", "127.0.0.1"])
        #expect(issue.status == 0, "\(issue.output)")
        let verify = try Spawn.capture("/usr/bin/openssl", ["verify", "-CAfile", ca + "/root.crt", out + "/tls.crt", out + "/signing.crt"])
        #expect(verify.status == 0, "\(verify.output)")
        let unknown = try Spawn.capture(BuiltProducts.tongbanctl, ["pki", "issue", "--ca", ca, "--province", "99", "--out", directory.file("99")])
        #expect(unknown.status != 0)
        #expect(unknown.output.contains("unknown province code"))
        let badIP = try Spawn.capture(BuiltProducts.tongbanctl, ["pki", "issue", "--ca", ca, "--province", "31", "--out", directory.file("31"), "--ip", "300.1.1.1"])
        #expect(badIP.status != 0)
        #expect(badIP.output.contains("300.1.1.1"))
    }

    /// Every command's `--help` has an overview, and every option and argument a description (read from the
    /// binary's own description of its commands, then each `--help` as an operator reads it); `--socket` states its
    /// default once.
    @Test func everyCommandHasAnOverviewAndEveryOptionADescription() throws {
        let dump = try Spawn.capture(BuiltProducts.tongbanctl, ["--experimental-dump-help"])
        #expect(dump.status == 0, "\(dump.output)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(dump.output.utf8)) as? [String: Any])
        var missing: [String] = [], leaves: [[String]] = []
        func walk(_ command: [String: Any], path: [String]) {
            let path = path + [command["commandName"] as? String ?? "?"]
            guard path != ["tongbanctl", "help"] else { return }  // argument-parser's own, not ours to describe
            let name = path.joined(separator: " ")
            if (command["abstract"] as? String ?? "").isEmpty { missing.append("\(name): no overview") }
            for argument in command["arguments"] as? [[String: Any]] ?? [] where argument["shouldDisplay"] as? Bool != false {
                if (argument["abstract"] as? String ?? "").isEmpty { missing.append("\(name) \(argument["valueName"] ?? "?"): no description") }
            }
            let subcommands = command["subcommands"] as? [[String: Any]] ?? []
            if subcommands.isEmpty { leaves.append(Array(path.dropFirst())) }
            for subcommand in subcommands { walk(subcommand, path: path) }
        }
        walk(try #require(document["command"] as? [String: Any]), path: [])
        #expect(missing.isEmpty, "\(missing.joined(separator: "\n"))")
        #expect(leaves.contains(["grant", "revoke"]) && leaves.contains(["pki", "renew"]) && leaves.count > 20, "\(leaves)")
        for path in leaves {
            let help = try Spawn.capture(BuiltProducts.tongbanctl, path + ["--help"])
            #expect(help.status == 0 && help.output.contains("OVERVIEW:"), "\(path): \(help.output)")
            let socketDefaults = help.output.components(separatedBy: "/run/tongban/admin.sock").count - 1
            #expect(socketDefaults <= 1, "\(path): --socket's default printed \(socketDefaults) times:\n\(help.output)")
        }
    }

    /// Arguments that cannot be meant are refused before the daemon is asked (its socket does not even exist here).
    @Test func contradictoryRepeatedOrMalformedArgumentsAreRefusedBeforeAskingTheDaemon() throws {
        let socket = ["--socket", "/tmp/tongban-no-such.sock"]
        func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
            let result = try Spawn.capture(BuiltProducts.tongbanctl, arguments + socket)
            #expect(!result.output.contains("cannot reach the daemon"), "\(arguments) asked the daemon: \(result.output)")
            return result
        }
        let both = try run(["catalog", "list", "--peer", "31", "--all"])
        #expect(both.status == 64 && both.output.contains("--peer") && both.output.contains("--all"), "\(both.output)")
        for id in ["", " ", "G-1/../../v1/reload", "G 1"] {
            let revoke = try run(["grant", "revoke", id])
            #expect(revoke.status != 0 && revoke.output.contains("'\(id)' is not a grant id"), "\(revoke.output)")
            #expect(!revoke.output.contains("no such endpoint"))
        }
        let person = CitizenID.make(addressCode: "310101", birthDate: "19800512", sequence: 23)
        let other = CitizenID.make(addressCode: "310104", birthDate: "19850101", sequence: 44)
        let target = ["--peer", "31", "--resource", "1010010001", "--matter", "medical-registration"]
        let claims = try run(["verify"] + target + ["--subject", person, "--claim", "name=王小明", "--claim", "gender=男",
                                                     "--claim", "name=李华"])
        #expect(claims.status != 0 && claims.output.contains("--claim") && claims.output.contains("field name is claimed twice"), "\(claims.output)")
        let noEquals = try run(["verify"] + target + ["--subject", person, "--claim", "name"])
        #expect(noEquals.status != 0 && noEquals.output.contains("--claim 'name'"), "\(noEquals.output)")
        let twice = try run(["query"] + target + [person, other, person.lowercased()])
        #expect(twice.status != 0 && twice.output.contains("subject 3 of 3 repeats subject 1"), "\(twice.output)")
        #expect(!twice.output.contains(person), "the refusal must not echo the number")
        let legacy = String(person.prefix(6)) + String(person.dropFirst(8).prefix(9))
        let sameNumber = try run(["query"] + target + [person, legacy])
        #expect(sameNumber.status != 0 && sameNumber.output.contains("subject 2 of 2 repeats subject 1"), "\(sameNumber.output)")
    }

    @Test func statusWithoutDaemonFailsClearly() throws {
        let result = try Spawn.capture(BuiltProducts.tongbanctl, ["status", "--socket", "/tmp/tongban-no-such.sock"])
        #expect(result.status != 0)
        #expect(result.output.contains("cannot reach the daemon at /tmp/tongban-no-such.sock"))
    }

    /// `tongbanctl demo up` brings up a federation whose members see each other; `demo down` stops it.
    @Test func demoFederationUpListsPeersAndGoesDown() throws {
        let directory = try TemporaryDirectory("tbdemo")
        defer { directory.remove() }
        let up = try Spawn.capture(BuiltProducts.tongbanctl, ["demo", "up", "--dir", directory.path, "--provinces", "11,31,44", "--records", "30"])
        #expect(up.status == 0, "\(up.output)")
        defer { _ = try? Spawn.capture(BuiltProducts.tongbanctl, ["demo", "down", "--dir", directory.path]) }
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory.file("federation.json")))) as? [String: Any]
        let provinces = try #require(document?["provinces"] as? [[String: Any]])
        #expect(provinces.compactMap { $0["code"] as? String } == ["11", "31", "44"])
        for province in provinces {
            let code = try #require(province["code"] as? String), socket = try #require(province["adminSocket"] as? String)
            for key in ["peerURL", "localURL", "config", "tlsCertificate", "tlsKey", "signingKey", "signingAlgorithm", "rootCA", "pid"] {
                #expect(province[key] != nil, "federation.json lacks \(key)")
            }
            // By default the provinces take P-256, SM2 and Ed25519 in turn; an SM2 key has no certificate.
            let algorithm = ["11": "ecdsa-p256-sha256", "31": "sm2-sm3", "44": "ed25519"][code]
            #expect(province["signingAlgorithm"] as? String == algorithm)
            #expect((province["signingCertificate"] == nil) == (algorithm == "sm2-sm3"), "\(province)")
            let listed = try Spawn.capture(BuiltProducts.tongbanctl, ["peers", "list", "--json", "--socket", socket])
            #expect(listed.status == 0, "\(listed.output)")
            let peers = try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
            #expect(Set(peers.compactMap { $0["code"] as? String }) == Set(["11", "31", "44"]).subtracting([code]))
            #expect(peers.allSatisfy { $0["reachable"] as? Bool == true && $0["certificateProvince"] as? String == $0["code"] as? String })
            let status = try Spawn.capture(BuiltProducts.tongbanctl, ["status", "--socket", socket])
            #expect(status.status == 0 && status.output.contains("province   \(code)"))
        }
        // The tour: query, verify, a conditional request refused, two applications (one refused with its reason, one
        // approved, which grants), served, and both audit chains intact.
        let tour = try Spawn.capture(BuiltProducts.tongbanctl, ["demo", "tour", "--dir", directory.path])
        #expect(tour.status == 0, "\(tour.output)")
        for expected in ["tongban.policy.unconditional", "tongban.policy.no-grant", "tongban.policy.grant", "\"results\"", "audit chain intact: ",
                         ": approved; grant G-", ": refused — ", "would be due 2026-10-20", "answer signed by 上海市 with sm2-sm3"] {
            #expect(tour.output.contains(expected), "tour output lacks \(expected)")
        }
        let catalogues = try Spawn.capture(BuiltProducts.tongbanctl, ["catalog", "list", "--all", "--socket", directory.file("11/admin.sock")])
        #expect(catalogues.status == 0 && catalogues.output.contains("婚姻登记信息") && catalogues.output.contains("不予共享"), "\(catalogues.output)")
        let down = try Spawn.capture(BuiltProducts.tongbanctl, ["demo", "down", "--dir", directory.path])
        #expect(down.status == 0)
        #expect(down.output.contains("stopped"))
        for province in provinces {
            let pid = try #require(province["pid"] as? Int)
            #expect(kill(pid_t(pid), 0) != 0, "daemon \(pid) still running")
        }
    }
}
