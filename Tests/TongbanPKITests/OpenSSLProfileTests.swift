import Foundation
import Testing
import TongbanCore
import TongbanPKI
import TongbanTestKit
import X509

/// Operators who issue from their own CA use `certs/openssl-*.cnf`; what those profiles produce must be
/// accepted exactly like what `tongbanctl pki` issues.
@Suite struct OpenSSLProfileTests {
    static let certs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("certs").path

    @Test func profilesProduceCertificatesTheFederationAccepts() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var environment = ProcessInfo.processInfo.environment
        environment["PROVINCE"] = "44"
        environment["GATEWAY_DNS"] = "gw.gd.example"
        environment["GATEWAY_IP"] = "127.0.0.1"
        func openssl(_ arguments: [String]) throws {
            let result = try Spawn.capture("/usr/bin/openssl", arguments, environment: environment)
            #expect(result.status == 0, "openssl \(arguments.joined(separator: " ")): \(result.output)")
        }
        let d = directory.path
        try openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", d + "/root.key"])
        try openssl(["req", "-new", "-x509", "-key", d + "/root.key", "-out", d + "/root.crt", "-days", "30", "-config", Self.certs + "/openssl-root.cnf"])
        for (name, section) in [("tls", "tls_ext"), ("signing", "signing_ext")] {
            try openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "\(d)/\(name).key"])
            try openssl(["req", "-new", "-key", "\(d)/\(name).key", "-out", "\(d)/\(name).csr", "-config", "\(Self.certs)/openssl-\(name).cnf"])
            try openssl(["x509", "-req", "-in", "\(d)/\(name).csr", "-CA", d + "/root.crt", "-CAkey", d + "/root.key", "-CAcreateserial",
                         "-days", "30", "-extfile", "\(Self.certs)/openssl-\(name).cnf", "-extensions", section, "-out", "\(d)/\(name).crt"])
        }
        let trust = FederationTrust(roots: [try PEMFile.readCertificate(d + "/root.crt")])
        let tls = try PEMFile.readCertificate(d + "/tls.crt")
        let signing = try PEMFile.readCertificate(d + "/signing.crt")
        #expect(try await trust.verify(tls, role: .tlsServer).rawValue == "44")
        #expect(try await trust.verify(tls, role: .tlsClient).rawValue == "44")
        #expect(try await trust.verify(signing, role: .signing).rawValue == "44")
        // OpenSSL writes SEC1 EC keys; the gateway must read them and match them to their certificates.
        #expect(try PEMFile.readPrivateKey(d + "/tls.key").publicKey == tls.publicKey)
        #expect(try PEMFile.readPrivateKey(d + "/signing.key").publicKey == signing.publicKey)
    }
}
