import Foundation
import Testing
import TongbanCore
import TongbanTestKit

/// `tongbanctl federation …` as the authority's operator runs it: a root from `pki init`, province certificates
/// from `pki issue`, then init, member add, sign and verify; bad input is refused with the file, the field and
/// why, a non-zero exit, and draft.json unchanged.
@Suite(.serialized) struct FederationCommandTests {
    /// A root CA, certificates for 11 and 31, and an authority directory with both as members (not yet signed).
    struct Authority {
        let directory: TemporaryDirectory
        var ca: String { directory.file("ca") }
        var dir: String { directory.file("authority") }
        var draft: String { dir + "/draft.json" }
        var manifest: String { dir + "/manifest.jws" }
        func province(_ code: String) -> String { directory.file(code) }

        static func make() throws -> Authority {
            let authority = Authority(directory: try TemporaryDirectory("tbf"))
            try run(["pki", "init", "--dir", authority.ca])
            for code in ["11", "31"] {
                try run(["pki", "issue", "--ca", authority.ca, "--province", code, "--out", authority.province(code), "--ip", "127.0.0.1"])
            }
            let created = try run(["federation", "init", "--dir", authority.dir, "--ca", authority.ca, "--id", "cn-test"])
            #expect(created.contains("created the authority of federation 'cn-test'"), "\(created)")
            for code in ["11", "31"] {
                let added = try run(["federation", "member", "add", "--dir", authority.dir, "--tls-cert", authority.province(code) + "/tls.crt",
                                     "--signing-cert", authority.province(code) + "/signing.crt", "--url", "https://127.0.0.1:74\(code)"])
                #expect(added.contains("added province \(code)"), "\(added)")
            }
            return authority
        }

        /// Runs `arguments`, which must succeed; returns the output.
        @discardableResult
        static func run(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
            let result = try Spawn.capture(BuiltProducts.tongbanctl, arguments)
            #expect(result.status == 0, "\(arguments.joined(separator: " ")): \(result.output)", sourceLocation: sourceLocation)
            return result.output
        }

        /// Runs `arguments`, which must be refused without touching draft.json; returns the output.
        func refused(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
            let before = try Data(contentsOf: URL(fileURLWithPath: draft))
            let result = try Spawn.capture(BuiltProducts.tongbanctl, arguments)
            #expect(result.status != 0, "\(arguments.joined(separator: " ")) was not refused: \(result.output)", sourceLocation: sourceLocation)
            #expect(try Data(contentsOf: URL(fileURLWithPath: draft)) == before, "draft.json changed", sourceLocation: sourceLocation)
            return result.output
        }
    }

    @Test func initAddSignVerify() throws {
        let a = try Authority.make()
        defer { a.directory.remove() }
        let signed = try Authority.run(["federation", "sign", "--dir", a.dir])
        #expect(signed.contains("signed manifest serial 1 of federation 'cn-test'") && signed.contains("members     2"), "\(signed)")
        let size = try FileManager.default.attributesOfItem(atPath: a.manifest)[.size] as? Int
        #expect(signed.contains("size        \(size ?? -1) bytes"), "\(signed)")
        let verified = try Authority.run(["federation", "verify", a.manifest, "--root", a.ca + "/root.crt", "--federation", "cn-test"])
        #expect(verified.contains("valid manifest serial 1 of federation 'cn-test'") && verified.contains("Tongban Federation Authority"),
                "\(verified)")
        let json = try Authority.run(["federation", "verify", a.manifest, "--root", a.ca + "/root.crt", "--json"])
        #expect(json.contains("\"serial\" : 1") && json.contains("\"valid\" : true"), "\(json)")
        let shown = try Authority.run(["federation", "show", "--dir", a.dir, "--signed"])
        #expect(shown.contains("serial 1") && shown.contains("31") && shown.contains("https://127.0.0.1:7431"), "\(shown)")

        try Authority.run(["federation", "member", "suspend", "--dir", a.dir, "--province", "31", "--reason", "audit overdue"])
        let again = try Authority.run(["federation", "sign", "--dir", a.dir, "--days", "3"])
        #expect(again.contains("serial 2") && again.contains("(1 suspended)"), "\(again)")
        let draft = try Authority.run(["federation", "show", "--dir", a.dir, "--json"])
        #expect(draft.contains("\"status\" : \"suspended\"") && draft.contains("\"serial\" : 2"), "\(draft)")
    }

    /// An SM2 province: `pki issue --signing-alg sm2` writes a key and `signing.pub` (no certificate); the authority
    /// lists it with `member add --signing-public-key`, adds the next SM2 key with `key add --public-key`, and records
    /// that the province accepts sm2-sm3 only with `member update --accepts`.
    @Test func anSM2ProvinceIsAddedByItsPublicKey() throws {
        let a = try Authority.make()
        defer { a.directory.remove() }
        let out = a.province("44")
        let issued = try Authority.run(["pki", "issue", "--ca", a.ca, "--province", "44", "--out", out, "--ip", "127.0.0.1", "--signing-alg", "sm2"])
        #expect(issued.contains("signing.pub") && issued.contains("sm2-sm3 key id"), "\(issued)")
        #expect(!FileManager.default.fileExists(atPath: out + "/signing.crt"))
        let mode = try FileManager.default.attributesOfItem(atPath: out + "/signing.key")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // Both options, or neither, are refused before anything changes.
        _ = try a.refused(["federation", "member", "add", "--dir", a.dir, "--tls-cert", out + "/tls.crt", "--url", "https://127.0.0.1:7444"])
        // A certificate given as a public key is refused with the option and the file.
        let wrong = try a.refused(["federation", "member", "add", "--dir", a.dir, "--tls-cert", out + "/tls.crt",
                                   "--signing-public-key", out + "/tls.crt", "--url", "https://127.0.0.1:7444"])
        #expect(wrong.contains("--signing-public-key \(out)/tls.crt") && wrong.contains("not a public key"), "\(wrong)")
        let added = try Authority.run(["federation", "member", "add", "--dir", a.dir, "--tls-cert", out + "/tls.crt",
                                       "--signing-public-key", out + "/signing.pub", "--url", "https://127.0.0.1:7444"])
        #expect(added.contains("added province 44"), "\(added)")
        var draft = try Authority.run(["federation", "show", "--dir", a.dir, "--json"])
        #expect(draft.contains("\"alg\" : \"sm2-sm3\""), "\(draft)")

        // The next key, from a second SM2 key pair, overlapping the first.
        let next = a.province("44-next")
        try Authority.run(["pki", "issue", "--ca", a.ca, "--province", "44", "--out", next, "--ip", "127.0.0.1", "--signing-alg", "sm2"])
        let key = try Authority.run(["federation", "key", "add", "--dir", a.dir, "--province", "44", "--public-key", next + "/signing.pub",
                                     "--not-before", "2026-01-01T00:00:00Z"])
        #expect(key.contains("(sm2-sm3) to province 44"), "\(key)")
        let unknown = try a.refused(["federation", "member", "update", "--dir", a.dir, "--province", "44", "--accepts", "sm2-sm4"])
        #expect(unknown.contains("accepts[0]") && unknown.contains("sm2-sm4"), "\(unknown)")
        let accepts = try Authority.run(["federation", "member", "update", "--dir", a.dir, "--province", "44", "--accepts", "sm2-sm3"])
        #expect(accepts.contains("accepts sm2-sm3"), "\(accepts)")
        let signed = try Authority.run(["federation", "sign", "--dir", a.dir])
        #expect(signed.contains("members     3"), "\(signed)")
        draft = try Authority.run(["federation", "show", "--dir", a.dir, "--json"])
        #expect(draft.contains("\"accepts\" : [") && draft.components(separatedBy: "\"sm2-sm3\"").count - 1 == 3, "\(draft)")
        let verified = try Authority.run(["federation", "verify", a.manifest, "--root", a.ca + "/root.crt"])
        #expect(verified.contains("valid manifest"), "\(verified)")
    }

    @Test func badInputNamesFileFieldAndReasonAndChangesNothing() throws {
        let a = try Authority.make()
        defer { a.directory.remove() }
        let duplicate = try a.refused(["federation", "member", "add", "--dir", a.dir, "--tls-cert", a.province("31") + "/tls.crt",
                                       "--signing-cert", a.province("31") + "/signing.crt", "--url", "https://127.0.0.1:7432"])
        #expect(duplicate.contains("\(a.draft): members[2].province: province 31 is already a member (members[1]); use member update"),
                "\(duplicate)")

        // A certificate from another federation's root: the file and why.
        try Authority.run(["pki", "init", "--dir", a.directory.file("foreign-ca")])
        try Authority.run(["pki", "issue", "--ca", a.directory.file("foreign-ca"), "--province", "44", "--out", a.province("44")])
        let foreign = try a.refused(["federation", "member", "add", "--dir", a.dir, "--tls-cert", a.province("44") + "/tls.crt",
                                     "--signing-cert", a.province("44") + "/signing.crt", "--url", "https://127.0.0.1:7444"])
        #expect(foreign.contains("--tls-cert \(a.province("44"))/tls.crt: ") && foreign.contains("not valid as a TLS client certificate"),
                "\(foreign)")

        let url = try a.refused(["federation", "member", "update", "--dir", a.dir, "--province", "11", "--url", "http://127.0.0.1:7411/v1"])
        #expect(url.contains("members[0].urls[0]: must be https://HOST[:PORT]"), "\(url)")
        let reason = try a.refused(["federation", "revoke", "--dir", a.dir, "--certificate", a.province("31") + "/tls.crt", "--reason", ""])
        #expect(reason.contains("revocations[0].reason: a revocation gives its reason"), "\(reason)")

        // A matters file with a misspelt field, in YAML and in JSON: file, line, field, reason.
        let yaml = a.directory.file("matters.yaml")
        try "matters:\n  - code: household-transfer\n    name: 户口迁移\n    needz:\n      \"1010010001\": [idNumber]\n"
            .write(toFile: yaml, atomically: true, encoding: .utf8)
        let yamlRefusal = try a.refused(["federation", "matters", "import", "--dir", a.dir, "--file", yaml])
        #expect(yamlRefusal.contains("\(yaml): line 4: matters[0](household-transfer).needz: an unknown matter field"), "\(yamlRefusal)")
        let json = a.directory.file("matters.json")
        try "[\n  {\"code\": \"x\", \"name\": \"X\",\n   \"needz\": {\"1010010001\": [\"idNumber\"]}}\n]\n"
            .write(toFile: json, atomically: true, encoding: .utf8)
        let jsonRefusal = try a.refused(["federation", "matters", "import", "--dir", a.dir, "--file", json])
        #expect(jsonRefusal.contains("\(json): line 3: [0].needz: an unknown matter field"), "\(jsonRefusal)")
        try "[{\"code\": \"x\", \"name\": \"X\", \"needs\": {\"1010010001\": [\"idNumber\"]}}]".write(toFile: json, atomically: true, encoding: .utf8)
        let imported = try Authority.run(["federation", "matters", "import", "--dir", a.dir, "--file", json])
        #expect(imported.contains("imported 1 matters"), "\(imported)")

        let again = try Spawn.capture(BuiltProducts.tongbanctl, ["federation", "init", "--dir", a.dir, "--ca", a.ca, "--id", "cn-test"])
        #expect(again.status != 0 && again.output.contains("an authority exists"), "\(again.output)")
    }

    @Test func verifyRefusesATamperedOrForeignManifest() throws {
        let a = try Authority.make()
        defer { a.directory.remove() }
        try Authority.run(["federation", "sign", "--dir", a.dir])
        let tampered = a.directory.file("tampered.jws")
        try ManifestInteropTests.tamper(a.manifest, to: tampered)
        let result = try Spawn.capture(BuiltProducts.tongbanctl, ["federation", "verify", tampered, "--root", a.ca + "/root.crt"])
        #expect(result.status == 1 && result.output.contains("the signature does not verify"), "\(result.output)")
        let foreign = try Spawn.capture(BuiltProducts.tongbanctl, ["federation", "verify", a.manifest, "--root", a.province("11") + "/tls.crt"])
        #expect(foreign.status == 1 && foreign.output.contains("foreign signer"), "\(foreign.output)")
        let other = try Spawn.capture(BuiltProducts.tongbanctl,
                                      ["federation", "verify", a.manifest, "--root", a.ca + "/root.crt", "--federation", "cn-x"])
        #expect(other.status == 1 && other.output.contains("not 'cn-x''s"), "\(other.output)")
    }
}
