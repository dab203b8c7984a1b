import Crypto
import Foundation
import SwiftASN1
import TongbanClient
import TongbanCore
import TongbanPKI
import TongbanSigning
import X509

/// A federation PKI, its authority and signed manifest, and per-province configuration files in a temporary
/// directory, made in code for each test (no committed keys). Ports are free loopback ports picked at creation.
/// Every gateway reads the manifest from `manifestPath` (`federation.file`); `updateManifest` signs the next one.
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
    public var authorityDirectory: String { directory.path + "/authority" }
    public var manifestPath: String { authorityDirectory + "/" + AuthorityWorkspace.signedFile }
    public static let federationID = "tongban-test"

    /// - Parameter ed25519: provinces whose signing key is Ed25519 (the others use P-256, unless `sm2` names them).
    /// - Parameter sm2: provinces whose signing key is SM2 (no signing certificate; `signing.pub` beside the key).
    /// - Parameter catalogue: a resource directory (YAML) for every province, or nil for none.
    /// - Parameter extraConfig: appended to every province's YAML (top-level keys).
    /// - Parameter federationConfig: extra keys of every province's `federation:` section (indented two spaces).
    /// - Parameter manifestFile: whether gateways read `manifestPath` as `federation.file` (without it, only the hub
    ///   `federationConfig` names, the last good copy and peers give them a manifest).
    public init(provinces: [String] = ["11", "31"], ed25519: Set<String> = [], sm2: Set<String> = [], catalogue: String? = nil, extraConfig: String = "",
                federationConfig: String = "", manifestFile: Bool = true, edit: (inout FederationManifest) -> Void = { _ in }) throws {
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
        var entries: [FederationMember] = []
        for code in provinces {
            let province = try ProvinceCode(code)
            let member = Member(code: province, home: directory.path + "/" + code, peerPort: try port(), localPort: try port())
            let credentials = try ProvinceCredentials.issue(by: ca, province: province, dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"],
                                                            signingKeyType: sm2.contains(code) ? .sm2 : ed25519.contains(code) ? .ed25519 : .p256)
            try credentials.write(to: member.pki)
            entries.append(try FederationMember(credentials: credentials, urls: [member.peerURL]))
            members.append(member)
        }
        self.members = members
        // A real authority directory (`tongbanctl federation … --dir` works on it), signed in place.
        let workspace = try AuthorityWorkspace.create(directory: directory.path + "/authority", ca: ca, federation: Self.federationID,
                                                      authorityName: "Test Federation Authority")
        var manifest = try workspace.draft()
        manifest.members = entries
        edit(&manifest)
        try TestAuthority(directory: directory.path + "/authority").sign(manifest)
        for member in members {
            var extra = extraConfig
            if let catalogue {
                try catalogue.write(toFile: member.home + "/catalogue.yaml", atomically: true, encoding: .utf8)
                extra += "catalogue:\n  file: catalogue.yaml\n  peerRefreshSeconds: 3600\n"
            }
            try member.configYAML(manifest: manifestFile ? manifestPath : nil, federation: federationConfig, extra: extra)
                .write(toFile: member.configPath, atomically: true, encoding: .utf8)
        }
    }

    /// The manifest as last signed (the authority's draft).
    public func manifest() throws -> FederationManifest { try AuthorityWorkspace(directory: authorityDirectory).draft() }

    /// Edits the manifest, signs the next serial with the authority and writes it where every gateway reads it;
    /// returns the serial. (Gateways apply it at their next refresh: `refresh(_:)` asks one at once.)
    @discardableResult
    public func updateManifest(_ edit: (inout FederationManifest) throws -> Void) throws -> Int {
        var manifest = try manifest()
        try edit(&manifest)
        return try TestAuthority(directory: authorityDirectory).sign(manifest)
    }

    /// Asks `member`'s daemon to refresh its manifest now (`tongbanctl federation refresh`).
    public func refresh(_ member: Member) async throws -> FederationRefreshReport {
        try await AdminClient(socketPath: member.adminSocket).post("/v1/federation/refresh", body: Data(), as: FederationRefreshReport.self)
    }

    /// Peer keys of `member` for a test's own peer client: its signing key, and the manifest's keys of the others.
    public func peerKeys(of member: Member, signingCertificate: String? = nil, signingKey: String? = nil) throws -> ManifestPeerKeys {
        let defaultCertificate = member.pki + "/" + ProvinceCredentials.signingCertificateFile
        let signer = try MessageSigner.province(key: signingKey ?? member.pki + "/signing.key",
                                                certificate: signingCertificate ?? (FileManager.default.fileExists(atPath: defaultCertificate) ? defaultCertificate : nil))
        // The manifest as last signed, read on every call: a rotation the test signs meanwhile is seen as a gateway sees it.
        return ManifestPeerKeys(reading: { () throws(TongbanError) in
            do { return try self.manifest() } catch { throw TongbanError(.internalError, "the test manifest cannot be read: \(error)") }
        }, signer: signer)
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
    /// - Parameter manifest: the `federation.file` path, or nil for none.
    public func configYAML(manifest: String?, federation: String = "", extra: String = "") -> String {
        """
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
        \(FileManager.default.fileExists(atPath: pki + "/signing.crt") ? "  certificate: pki/signing.crt\n" : "")  key: pki/signing.key
        state:
          directory: state
        peerClient:
          timeoutSeconds: 3
        federation:
          id: \(TestFederation.federationID)
        \(manifest.map { "  file: \($0)\n" } ?? "")\(federation)\(extra)
        """
    }
}

