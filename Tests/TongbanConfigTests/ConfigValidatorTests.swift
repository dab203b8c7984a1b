import Foundation
import Testing
import TongbanCore
@testable import TongbanConfig
import TongbanPKI
import TongbanTestKit

@Suite struct ConfigValidatorTests {
    @Test func generatedFederationConfigIsValid() async throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        let result = await ConfigValidator.check(path: federation["11"].configPath, environment: [:])
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.configuration?.federation.id == TestFederation.federationID)
        #expect(result.configuration?.federation.file == federation.manifestPath)
    }

    /// An SM2 province's configuration has no signing certificate; one given for an SM2 key is a problem that names it.
    @Test func anSM2KeyHasNoCertificate() async throws {
        let federation = try TestFederation(provinces: ["11", "31"], sm2: ["11"])
        defer { federation.remove() }
        let member = federation["11"]
        let valid = await ConfigValidator.check(path: member.configPath, environment: [:])
        #expect(valid.problems.isEmpty, "\(valid.problems)")
        #expect(valid.configuration?.signing.certificate == nil)
        let config = try String(contentsOfFile: member.configPath, encoding: .utf8)
        try config.replacingOccurrences(of: "  key: pki/signing.key\n", with: "  certificate: pki/tls.crt\n  key: pki/signing.key\n"
                                        + "  additional:\n    - {key: pki/tls.key}\n  algorithms: [sm2-sm3, ecdsa-p256-sha256]\n")
            .write(toFile: member.configPath, atomically: true, encoding: .utf8)
        let result = await ConfigValidator.check(path: member.configPath, environment: [:])
        #expect(result.problems.map(\.key) == ["signing.certificate"] && result.problems.first?.message.contains("an SM2 key") == true,
                "\(result.problems)")
        // (The TLS key is a P-256 key: as an additional signing key without a certificate it is valid.)
        try config.replacingOccurrences(of: "  key: pki/signing.key\n", with: "  key: pki/signing.key\n  algorithms: [sm2-sm3, rsa-v1_5-sha256]\n")
            .write(toFile: member.configPath, atomically: true, encoding: .utf8)
        let unknown = await ConfigValidator.check(path: member.configPath, environment: [:])
        #expect(unknown.problems.contains { $0.key == "signing.algorithms" && $0.message.contains("rsa-v1_5-sha256") && $0.line != nil },
                "\(unknown.problems)")
    }

    @Test func missingFileIsReported() async {
        let result = await ConfigValidator.check(path: "/nonexistent/tongband.yaml", environment: [:])
        #expect(result.problems.first?.message.contains("no such file") == true)
    }

    @Test func keyNotMatchingCertificateNamesTheKey() async throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        let member = federation["11"]
        // Swap in the signing key as the TLS key.
        try FileManager.default.removeItem(atPath: member.pki + "/tls.key")
        try FileManager.default.copyItem(atPath: member.pki + "/signing.key", toPath: member.pki + "/tls.key")
        let result = await ConfigValidator.check(path: member.configPath, environment: [:])
        #expect(result.problems.contains { $0.key == "tls.key" && $0.message.contains("not the private key") }, "\(result.problems)")
    }

    @Test func certificateOfAnotherProvinceNamesTheCertificate() async throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        let result = await ConfigValidator.check(path: federation["11"].configPath, environment: ["TONGBAN_PROVINCE_CODE": "31", "TONGBAN_PROVINCE_NAME": "x"])
        #expect(result.problems.contains { $0.key == "tls.certificate" && $0.message.contains("speaks for province 11") }, "\(result.problems)")
        let clean = federation["11"].configYAML(manifest: federation.manifestPath).replacingOccurrences(of: "code: \"11\"", with: "code: \"31\"")
        try clean.write(toFile: federation["11"].configPath, atomically: true, encoding: .utf8)
        let again = await ConfigValidator.check(path: federation["11"].configPath, environment: [:])
        #expect(again.problems.contains { $0.key == "tls.certificate" && $0.message.contains("speaks for province 11") }, "\(again.problems)")
        // Once, although the TLS certificate is checked as a server's and as a client's.
        #expect(again.problems.filter { $0.key == "tls.certificate" }.count == 1, "\(again.problems)")
        #expect(again.problems.contains { $0.key == "signing.certificate" })
    }

    @Test func certificateFromAnotherCANamesTheCertificate() async throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        let rogue = try FederationCA.create(name: "Rogue")
        try PEMFile.write(rogue.certificate, to: federation["11"].pki + "/other-root.crt")
        let result = await ConfigValidator.check(path: federation["11"].configPath,
                                                 environment: ["TONGBAN_TLS_FEDERATION_ROOTS": "pki/other-root.crt"])
        #expect(result.problems.contains { $0.key == "tls.certificate" && $0.message.contains("not valid") }, "\(result.problems)")
    }

    @Test func unreadableOrWorldReadableKeyIsReported() async throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        let member = federation["11"]
        chmod(member.pki + "/signing.key", 0o644)
        try FileManager.default.removeItem(atPath: member.pki + "/root.crt")
        let result = await ConfigValidator.check(path: member.configPath, environment: [:])
        #expect(result.problems.contains { $0.key == "signing.key" && $0.message.contains("readable by everyone") }, "\(result.problems)")
        #expect(result.problems.contains { $0.key == "tls.federationRoots[0]" && $0.message.contains("no such file") }, "\(result.problems)")
    }
}
