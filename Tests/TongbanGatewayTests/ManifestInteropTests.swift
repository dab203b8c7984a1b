import Foundation
import Testing
import TongbanTestKit

/// Interoperability of the signed manifest with a JOSE implementation nobody here wrote: `jwcrypto` 1.5.6 (PyPI,
/// installed by `make interop-venv`) verifies what `tongbanctl federation sign` writes with the authority
/// certificate's key, and refuses a copy whose payload was edited.
@Suite(.serialized) struct ManifestInteropTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = repository.appendingPathComponent(".build/interop-venv/bin/python3").path
    static let script = repository.appendingPathComponent("Tests/Interop/verify_manifest_jws.py").path

    /// Writes `path`'s JWS to `out` with the payload's serial changed and the signature kept.
    static func tamper(_ path: String, to out: String) throws {
        let parts = try String(contentsOfFile: path, encoding: .utf8).split(separator: ".").map(String.init)
        try #require(parts.count == 3)
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        let payload = String(decoding: try #require(Data(base64Encoded: base64)), as: UTF8.self)
        let serial = try #require(payload.range(of: #""serial":\d+"#, options: .regularExpression))
        let edited = payload.replacingCharacters(in: serial, with: "\"serial\":999")
        let part = Data(edited.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        try [parts[0], part, parts[2]].joined(separator: ".").write(toFile: out, atomically: true, encoding: .utf8)
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
}
