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
}
