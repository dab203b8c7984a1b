import Crypto
import Foundation
import SwiftASN1
import Testing
import TongbanCore
import TongbanPKI
import TongbanTestKit
import X509

/// Every federation TLS certificate carries its province's host name (`province-CODE.tongban.invalid`), by which
/// peers connect; no certificate carries another province's.
@Suite struct ProvinceHostNameTests {
    static func dnsNames(_ certificate: Certificate) throws -> [String] {
        try #require(try certificate.extensions.subjectAlternativeNames).compactMap { if case .dnsName(let name) = $0 { name } else { nil } }
    }

    @Test func issuedTLSCertificatesCarryTheProvincesName() throws {
        let ca = try FederationCA.create(name: "Test Root")
        let credentials = try ProvinceCredentials.issue(by: ca, province: try ProvinceCode("31"), dnsNames: ["gw.sh.example"], ipAddresses: [])
        #expect(try Self.dnsNames(credentials.tlsCertificate) == ["province-31.tongban.invalid", "gw.sh.example"])
        #expect(ProvinceHostName.parse("PROVINCE-31.tongban.invalid")?.rawValue == "31")
        // Nobody asks for a name in the reserved namespace: the CA writes the province's own.
        #expect(throws: TongbanError.self) {
            _ = try ProvinceCredentials.issue(by: ca, province: try ProvinceCode("31"), dnsNames: ["province-11.tongban.invalid"], ipAddresses: [])
        }
    }

    /// A server certificate without the province's name, or with another province's, fails the profile; renewal
    /// adds the name to a certificate from before it was required.
    @Test func theProfileRequiresItAndRenewalAddsIt() async throws {
        let federation = try TestFederation(provinces: ["31"])
        defer { federation.remove() }
        let trust = FederationTrust(roots: [federation.ca.certificate])
        let key = P256.Signing.PrivateKey()
        func legacy(_ names: [GeneralName]) throws -> Certificate {
            try federation.issueCustom(publicKey: .init(key.publicKey), commonName: "上海市 Tongban gateway") {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                SubjectAlternativeNames([.uniformResourceIdentifier("urn:tongban:province:31")] + names)
            }
        }
        let old = try legacy([.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
        #expect(try await trust.verify(old, role: .tlsClient).rawValue == "31", "a client certificate needs no host name")
        await #expect { try await trust.verify(old, role: .tlsServer) } throws: {
            (($0 as? TongbanError)?.message ?? "").contains("lacks the DNS name province-31.tongban.invalid")
        }
        let impostor = try legacy([.dnsName("province-31.tongban.invalid"), .dnsName("province-11.tongban.invalid")])
        await #expect { try await trust.verify(impostor, role: .tlsClient) } throws: {
            (($0 as? TongbanError)?.message ?? "").contains("province-11.tongban.invalid, which is not province 31's")
        }
        let renewed = try federation.ca.renew(old, publicKey: .init(key.publicKey))
        #expect(try Self.dnsNames(renewed) == ["province-31.tongban.invalid", "localhost"])
        #expect(try await trust.verify(renewed, role: .tlsServer).rawValue == "31")
    }
}
