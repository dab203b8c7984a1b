import Crypto
import Foundation
import SwiftASN1
import SwiftASN1
import Testing
import TongbanCore
@testable import TongbanPKI
import TongbanTestKit
import X509

@Suite struct FederationPKITests {
    @Test func rootIsACAWithKeyReadableByOwnerOnly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ca = try FederationCA.create(name: "Unit Root")
        try ca.write(to: directory.path)
        let mode = try FileManager.default.attributesOfItem(atPath: directory.file("root.key"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let constraints = try #require(try ca.certificate.extensions.basicConstraints)
        #expect(constraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(try ca.certificate.extensions.keyUsage?.keyCertSign == true)
        // Reload: the key must belong to the certificate.
        let loaded = try FederationCA(directory: directory.path)
        #expect(loaded.certificate == ca.certificate)
        // A second init over the same directory must not overwrite the key.
        #expect(throws: TongbanError.self) { try FederationCA.create(name: "Other").write(to: directory.path) }
    }

    @Test func issuedCertificatesCarryProvinceURIAndUsages() async throws {
        let ca = try FederationCA.create(name: "Unit Root")
        let province = try ProvinceCode("44")
        let credentials = try ProvinceCredentials.issue(by: ca, province: province, dnsNames: ["gw.gd.example"], ipAddresses: ["127.0.0.1", "::1"])
        let tls = credentials.tlsCertificate
        let signing = credentials.certifiedSigningCertificate
        #expect(tls.federationProvince == province)
        #expect(signing.federationProvince == province)
        let sans = try #require(try tls.extensions.subjectAlternativeNames)
        #expect(sans.contains(.uniformResourceIdentifier("urn:tongban:province:44")))
        #expect(sans.contains(.dnsName("gw.gd.example")))
        #expect(sans.contains(.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))))
        let tlsUsages = Array(try #require(try tls.extensions.extendedKeyUsage))
        #expect(tlsUsages.contains(.serverAuth) && tlsUsages.contains(.clientAuth))
        #expect(try tls.extensions.keyUsage?.digitalSignature == true)
        let signingUsage = try #require(try signing.extensions.keyUsage)
        #expect(signingUsage.digitalSignature && signingUsage.nonRepudiation)
        #expect(try signing.extensions.extendedKeyUsage == nil)
        #expect(credentials.tlsKey.publicKey == tls.publicKey)
        #expect(credentials.certifiedSigningKey.publicKey != tls.publicKey)
        #expect(signing.sha256Fingerprint.count == 64)
    }

    @Test func chainVerifiesAndNamesTheProvince() async throws {
        let ca = try FederationCA.create(name: "Unit Root")
        let credentials = try ProvinceCredentials.issue(by: ca, province: try ProvinceCode("31"), dnsNames: [], ipAddresses: [])
        let trust = FederationTrust(roots: [ca.certificate])
        #expect(try await trust.verify(credentials.tlsCertificate, role: .tlsClient).rawValue == "31")
        #expect(try await trust.verify(credentials.tlsCertificate, role: .tlsServer).rawValue == "31")
        #expect(try await trust.verify(credentials.certifiedSigningCertificate, role: .signing).rawValue == "31")
    }

    @Test func refusesAnotherCAExpiryAndWrongUsage() async throws {
        let ca = try FederationCA.create(name: "Unit Root")
        let other = try FederationCA.create(name: "Rogue Root")
        let province = try ProvinceCode("31")
        let trust = FederationTrust(roots: [ca.certificate])
        let rogue = try ProvinceCredentials.issue(by: other, province: province, dnsNames: [], ipAddresses: [])
        await #expect(throws: TongbanError.self) { try await trust.verify(rogue.tlsCertificate, role: .tlsClient) }
        let good = try ProvinceCredentials.issue(by: ca, province: province, dnsNames: [], ipAddresses: [])
        // A signing certificate cannot be used for TLS, nor a TLS certificate for signing? (TLS has digitalSignature,
        // so only the first direction is refused.)
        await #expect(throws: TongbanError.self) { try await trust.verify(good.certifiedSigningCertificate, role: .tlsClient) }
        let later = Date().addingTimeInterval(400 * 86_400)
        await #expect(throws: TongbanError.self) { try await trust.verify(good.tlsCertificate, role: .tlsClient, at: later) }
    }

    @Test func refusesCertificateWithoutProvinceURI() async throws {
        let federation = try TestFederation(provinces: ["11"])
        defer { federation.remove() }
        let key = P256.Signing.PrivateKey()
        let bare = try federation.issueCustom(publicKey: .init(key.publicKey), commonName: "no province") {
            Critical(BasicConstraints.notCertificateAuthority)
            try ExtendedKeyUsage([.clientAuth, .serverAuth])
            SubjectAlternativeNames([.dnsName("localhost")])
        }
        let trust = FederationTrust(roots: [federation.ca.certificate])
        await #expect { try await trust.verify(bare, role: .tlsClient) } throws: { ($0 as? TongbanError)?.code == .identityMissing }
    }

    /// An independent implementation (OpenSSL) must accept the chain and see the extensions.
    @Test func opensslVerifiesIssuedCertificates() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ca = try FederationCA.create(name: "Unit Root")
        try ca.write(to: directory.file("ca"))
        try ProvinceCredentials.issue(by: ca, province: try ProvinceCode("11"), dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"])
            .write(to: directory.file("11"))
        let root = directory.file("ca/root.crt")
        for (file, purpose) in [("11/tls.crt", "sslserver"), ("11/tls.crt", "sslclient"), ("11/signing.crt", "any")] {
            let result = try Spawn.capture("/usr/bin/openssl", ["verify", "-CAfile", root, "-purpose", purpose, directory.file(file)])
            #expect(result.status == 0, "openssl verify \(file) (\(purpose)): \(result.output)")
        }
        let text = try Spawn.capture("/usr/bin/openssl", ["x509", "-noout", "-text", "-in", directory.file("11/signing.crt")]).output
        #expect(text.contains("URI:urn:tongban:province:11"))
        #expect(text.contains("Digital Signature, Non Repudiation"))
        let keyMode = try FileManager.default.attributesOfItem(atPath: directory.file("11/tls.key"))[.posixPermissions] as? Int
        #expect(keyMode == 0o600)
    }
}
