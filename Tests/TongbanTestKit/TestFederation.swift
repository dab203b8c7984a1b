import Crypto
import Foundation
import SwiftASN1
import TongbanClient
import TongbanCore
import TongbanPKI
import X509

/// A federation PKI and per-province configuration files in a temporary directory, made in code for each
/// test (no committed keys). Ports are free loopback ports picked at creation.
public struct TestFederation: Sendable {
    public struct Member: Sendable {
        public let code: ProvinceCode
        public let home: String
        public let peerPort: Int
        public let localPort: Int
        public var configPath: String { home + "/tongband.yaml" }
        public var adminSocket: String { home + "/admin.sock" }
        public var pki: String { home + "/pki" }
        public var peerURL: String { "https://127.0.0.1:\(peerPort)" }
        public var localURL: String { "http://127.0.0.1:\(localPort)" }
    }

    public let directory: TemporaryDirectory
    public let ca: FederationCA
    public let members: [Member]
    public var caDirectory: String { directory.path + "/ca" }

    /// - Parameter ed25519: provinces whose signing key is Ed25519 (the others use P-256).
    /// - Parameter catalogue: a resource directory (YAML) for every province, or nil for none.
    public init(provinces: [String] = ["11", "31"], ed25519: Set<String> = [], catalogue: String? = nil, extraConfig: String = "") throws {
        directory = try TemporaryDirectory("tbfed")
        ca = try FederationCA.create(name: "Test Federation Root")
        try ca.write(to: directory.path + "/ca")
        var used: Set<Int> = []
        func port() throws -> Int {
            var p = try DaemonProcess.freePort()
            while used.contains(p) { p = try DaemonProcess.freePort() }
            used.insert(p)
            return p
        }
        var members: [Member] = []
        for code in provinces {
            let province = try ProvinceCode(code)
            let member = Member(code: province, home: directory.path + "/" + code, peerPort: try port(), localPort: try port())
            try ProvinceCredentials.issue(by: ca, province: province, dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"],
                                          signingKeyType: ed25519.contains(code) ? .ed25519 : .p256)
                .write(to: member.pki)
            members.append(member)
        }
        self.members = members
        for member in members {
            var extra = extraConfig
            if let catalogue {
                try catalogue.write(toFile: member.home + "/catalogue.yaml", atomically: true, encoding: .utf8)
                extra += "catalogue:\n  file: catalogue.yaml\n  peerRefreshSeconds: 3600\n"
            }
            try member.configYAML(peers: members.filter { $0.code != member.code }, extra: extra)
                .write(toFile: member.configPath, atomically: true, encoding: .utf8)
        }
    }

    public subscript(code: String) -> Member { members.first { $0.code.rawValue == code }! }

    public func remove() { directory.remove() }

    /// A certificate for `publicKey` signed by this federation's root, with whatever extensions a test wants.
    public func issueCustom(publicKey: Certificate.PublicKey, commonName: String,
                            @ExtensionsBuilder extensions: () throws -> Result<Certificate.Extensions, any Error>) throws -> Certificate {
        let key = try PEMFile.readPrivateKey(caDirectory + "/" + FederationCA.keyFile)
        return try Certificate(
            version: .v3, serialNumber: .init(), publicKey: publicKey, notValidBefore: Date().addingTimeInterval(-60),
            notValidAfter: Date().addingTimeInterval(86_400), issuer: ca.certificate.subject,
            subject: try DistinguishedName { CommonName(commonName) }, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions(builder: extensions), issuerPrivateKey: key)
    }
}

extension TestFederation.Member {
    public func configYAML(peers: [TestFederation.Member], extra: String = "") -> String {
        let peerLines = peers.map { "  - code: \"\($0.code)\"\n    url: \($0.peerURL)\n" }.joined()
        return """
        province:
          code: "\(code)"
          name: \(code.officialName)
        listen:
          peer: {address: 127.0.0.1, port: \(peerPort)}
          local: {address: 127.0.0.1, port: \(localPort)}
          admin: admin.sock
        tls:
          certificate: pki/tls.crt
          key: pki/tls.key
          federationRoots: [pki/root.crt]
        signing:
          certificate: pki/signing.crt
          key: pki/signing.key
        state:
          directory: state
        peerClient:
          timeoutSeconds: 3
        peers:
        \(peerLines.isEmpty ? "  []\n" : peerLines)\(extra)
        """
    }
}

