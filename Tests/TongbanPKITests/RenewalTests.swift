import Crypto
import Foundation
import Testing
import TongbanCore
import TongbanPKI
import TongbanTestKit
import X509

/// `tongbanctl pki renew`: a renewed certificate keeps subject, names and usages, gets a new validity, keeps
/// or replaces the key, still verifies against the federation root, and is refused for a foreign certificate.
@Suite struct RenewalTests {
    @Test func renewKeepsNamesAndUsagesWithTheSameOrANewKey() throws {
        let federation = try TestFederation(provinces: ["11"])
        defer { federation.remove() }
        let pki = federation["11"].pki
        let old = try PEMFile.readCertificate(pki + "/tls.crt")
        let oldKey = try PEMFile.readPrivateKey(pki + "/tls.key")

        let same = try Spawn.capture(BuiltProducts.tongbanctl, ["pki", "renew", "--ca", federation.caDirectory,
                                                                "--cert", pki + "/tls.crt", "--key", pki + "/tls.key", "--days", "20"])
        #expect(same.status == 0, "\(same.output)")
        let renewed = try PEMFile.readCertificate(pki + "/tls.crt")
        #expect(renewed.publicKey == old.publicKey && renewed.serialNumber != old.serialNumber)
        #expect(renewed.subject == old.subject && renewed.issuer == old.issuer)
        #expect(try renewed.extensions.subjectAlternativeNames == old.extensions.subjectAlternativeNames)
        #expect(try renewed.extensions.extendedKeyUsage == old.extensions.extendedKeyUsage)
        #expect(abs(renewed.notValidAfter.timeIntervalSinceNow - 20 * 86_400) < 600)
        #expect(try PEMFile.readPrivateKey(pki + "/tls.key").publicKey == oldKey.publicKey)
        let verified = try Spawn.capture("/usr/bin/openssl", ["verify", "-CAfile", federation.caDirectory + "/root.crt", pki + "/tls.crt"])
        #expect(verified.status == 0, "\(verified.output)")

        let rotated = try Spawn.capture(BuiltProducts.tongbanctl, ["pki", "renew", "--ca", federation.caDirectory, "--new-key",
                                                                   "--cert", pki + "/signing.crt", "--key", pki + "/signing.key"])
        #expect(rotated.status == 0, "\(rotated.output)")
        let signing = try PEMFile.readCertificate(pki + "/signing.crt")
        let newKey = try PEMFile.readPrivateKey(pki + "/signing.key")
        #expect(signing.publicKey == newKey.publicKey)
        #expect(try signing.extensions.keyUsage == KeyUsage(digitalSignature: true, nonRepudiation: true))
        let attributes = try FileManager.default.attributesOfItem(atPath: pki + "/signing.key")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        // A certificate from another root is refused, and the files stay as they were.
        let other = try TestFederation(provinces: ["31"])
        defer { other.remove() }
        let before = try String(contentsOfFile: other["31"].pki + "/tls.crt", encoding: .utf8)
        let foreign = try Spawn.capture(BuiltProducts.tongbanctl, ["pki", "renew", "--ca", federation.caDirectory,
                                                                   "--cert", other["31"].pki + "/tls.crt", "--key", other["31"].pki + "/tls.key"])
        #expect(foreign.status != 0 && foreign.output.contains("not issued by this federation root"), "\(foreign.output)")
        #expect(try String(contentsOfFile: other["31"].pki + "/tls.crt", encoding: .utf8) == before)
    }

    /// The root itself is refused (renewing it as a leaf turned ten years into 397 days), and so is a validity
    /// outside 1 to 825 days; the message names the option and the value, and no file changes.
    @Test func renewRefusesTheRootAndAValidityOutsideTheRange() throws {
        let federation = try TestFederation(provinces: ["11"])
        defer { federation.remove() }
        let ca = federation.caDirectory, pki = federation["11"].pki
        func contents(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
        let root = try contents(ca + "/root.crt"), rootKey = try contents(ca + "/root.key")
        for extra in [[], ["--new-key"]] {
            let result = try Spawn.capture(BuiltProducts.tongbanctl,
                                           ["pki", "renew", "--ca", ca, "--cert", ca + "/root.crt", "--key", ca + "/root.key"] + extra)
            #expect(result.status != 0, "the root was renewed: \(result.output)")
            #expect(result.output.contains("--cert \(ca)/root.crt") && result.output.contains("CA certificate"), "\(result.output)")
            #expect(try contents(ca + "/root.crt") == root && contents(ca + "/root.key") == rootKey)
        }
        let tls = try contents(pki + "/tls.crt")
        for days in ["0", "-1", "826"] {
            let result = try Spawn.capture(BuiltProducts.tongbanctl,
                                           ["pki", "renew", "--ca", ca, "--cert", pki + "/tls.crt", "--key", pki + "/tls.key", "--days", days])
            #expect(result.status != 0, "--days \(days) was accepted")
            #expect(result.output.contains("--days \(days)") && result.output.contains("1 to 825 days"), "\(result.output)")
            #expect(try contents(pki + "/tls.crt") == tls)
        }
    }

    /// The library refuses the same, whoever calls it.
    @Test func caRefusesToRenewACACertificateOrIssueForNoTime() throws {
        let ca = try FederationCA.create(name: "Unit Root")
        #expect(throws: TongbanError.self) { try ca.renew(ca.certificate, publicKey: ca.certificate.publicKey) }
        let key = P256.Signing.PrivateKey()
        let leaf = try ca.issue(usage: .signing, province: try ProvinceCode("11"), publicKey: .init(key.publicKey))
        for days in [0, -1, 826] {
            #expect(throws: TongbanError.self) { try ca.renew(leaf, publicKey: leaf.publicKey, validityDays: days) }
            #expect(throws: TongbanError.self) {
                try ca.issue(usage: .signing, province: try ProvinceCode("11"), publicKey: .init(key.publicKey), validityDays: days)
            }
        }
        for days in [0, -1, 7301] { #expect(throws: TongbanError.self) { try FederationCA.create(name: "Root", validityDays: days) } }
        #expect(throws: TongbanError.self) {
            try ProvinceCredentials.issue(by: ca, province: try ProvinceCode("11"), dnsNames: ["bad name!"], ipAddresses: [])
        }
    }
}
