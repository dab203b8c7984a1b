import Foundation
import Testing
import TongbanCore
import TongbanTestKit

/// Interoperability of the signed manifest with a JOSE implementation nobody here wrote: `jwcrypto` 1.5.6 (PyPI,
/// installed by `make interop-venv`) verifies what `tongbanctl federation sign` writes with the authority
/// certificate's key, and refuses a copy whose payload was edited.
@Suite(.serialized) struct ManifestInteropTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = repository.appendingPathComponent(".build/interop-venv/bin/python3").path
    static let script = repository.appendingPathComponent("Tests/Interop/verify_manifest_jws.py").path

    /// Writes `path`'s JWS to `out` with its payload passed through `edit` and the header and signature kept.
    static func rewritePayload(_ path: String, to out: String, _ edit: (String) throws -> String) throws {
        let parts = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: ".").map(String.init)
        try #require(parts.count == 3)
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        let edited = try edit(String(decoding: try #require(Data(base64Encoded: base64)), as: UTF8.self))
        let part = Data(edited.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        try [parts[0], part, parts[2]].joined(separator: ".").write(toFile: out, atomically: true, encoding: .utf8)
    }

    /// Writes `path`'s JWS to `out` with the payload's serial changed and the signature kept.
    static func tamper(_ path: String, to out: String) throws {
        try rewritePayload(path, to: out) { payload in
            let serial = try #require(payload.range(of: #""serial":\d+"#, options: .regularExpression))
            return payload.replacingCharacters(in: serial, with: "\"serial\":999")
        }
    }

    @Test func jwcryptoVerifiesTheSignedManifestAndRefusesATamperedOne() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.python), "no interop venv: run 'make interop-venv' (make test does)")
        let a = try FederationCommandTests.Authority.make()
        defer { a.directory.remove() }
        try FederationCommandTests.Authority.run(["federation", "sign", "--dir", a.dir])
        let certificate = a.dir + "/authority.crt"
        let good = try Spawn.capture(Self.python, [Self.script, certificate, a.manifest])
        #expect(good.status == 0 && good.output.contains("verified serial 1 of federation cn-test"), "\(good.output)")

        let tampered = a.directory.file("tampered.jws")
        try Self.tamper(a.manifest, to: tampered)
        let bad = try Spawn.capture(Self.python, [Self.script, certificate, tampered])
        #expect(bad.status != 0 && bad.output.contains("refused"), "\(bad.output)")
        #expect(!bad.output.contains("verified serial"), "\(bad.output)")

        // The key must be the authority's: a province's TLS certificate does not verify it.
        let wrongKey = try Spawn.capture(Self.python, [Self.script, a.province("11") + "/tls.crt", a.manifest])
        #expect(wrongKey.status != 0 && wrongKey.output.contains("refused"), "\(wrongKey.output)")
    }

    /// The manifest `federation sign` writes, with members, keys, a revocation and the matters, is valid against the
    /// JSON Schema in docs/ (checked by the `jsonschema` package), and a payload with a field the format does not
    /// have is not.
    @Test func theSignedManifestMeetsItsPublishedSchema() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.python), "no interop venv: run 'make interop-venv' (make test does)")
        let schema = Self.repository.appendingPathComponent("docs/federation-manifest.schema.json").path
        let checker = Self.repository.appendingPathComponent("Tests/Interop/manifest_schema_check.py").path
        let federation = try TestFederation(provinces: ["11", "31", "44"])
        defer { federation.remove() }
        let kid = try federation.manifest().members[0].signingKeys[0].kid
        try federation.updateManifest { manifest in
            manifest.members[2].status = .suspended
            manifest.revocations.append(.init(kind: .key, id: kid, at: Date(), reason: "test"))
        }
        let good = try Spawn.capture(Self.python, [checker, schema, federation.manifestPath])
        #expect(good.status == 0, "\(good.output)")
        // The same manifest with one extra field: the schema refuses what this version does not define.
        let extra = federation.directory.path + "/extra.jws"
        try Self.rewritePayload(federation.manifestPath, to: extra) { "{\"colour\":\"blue\"," + $0.dropFirst() }
        let bad = try Spawn.capture(Self.python, [checker, schema, extra])
        #expect(bad.status == 1 && bad.output.contains("colour"), "\(bad.output)")
    }
}
