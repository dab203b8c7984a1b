import Foundation
import Testing
import TongbanTestKit
@testable import TongbanGM

/// SM2 with SM3 and the distinguishing ID, checked against the `openssl pkeyutl` command line both ways.
@Suite struct SM2InteropTests {
    static let message = Data("{\"resource\":\"hukou\",\"subject\":\"110101199003074514\"}\n".utf8)

    @Test func opensslVerifiesTongbanSignatures() throws {
        let directory = try TemporaryDirectory("tb-sm2")
        defer { directory.remove() }
        let key = try SM2PrivateKey()
        try key.publicKey.pemRepresentation.write(toFile: directory.file("pub.pem"), atomically: true, encoding: .utf8)
        try Self.message.write(to: URL(fileURLWithPath: directory.file("msg")))

        for (name, id) in [("default", "1234567812345678"), ("custom", "31.tongban.example")] {
            let raw = try key.sign(Self.message, distinguishingID: Array(id.utf8))
            try Data(SM2.derSignature(fromRaw: raw)).write(to: URL(fileURLWithPath: directory.file("\(name).der")))
            try OpenSSLCommand.run(Self.verify(directory, signature: "\(name).der", id: id))
            // The same signature under another ID is refused.
            #expect(try !OpenSSLCommand.succeeds(Self.verify(directory, signature: "\(name).der", id: id + "x")))
        }

        let der = try key.derSignature(Self.message)
        try Data(der).write(to: URL(fileURLWithPath: directory.file("direct.der")))
        try OpenSSLCommand.run(Self.verify(directory, signature: "direct.der", id: "1234567812345678"))
    }

    @Test func tongbanVerifiesOpenSSLSignatures() throws {
        let directory = try TemporaryDirectory("tb-sm2")
        defer { directory.remove() }
        try OpenSSLCommand.run(["genpkey", "-algorithm", "SM2", "-out", directory.file("key.pem")])
        try OpenSSLCommand.run(["pkey", "-in", directory.file("key.pem"), "-pubout", "-out", directory.file("pub.pem")])
        try Self.message.write(to: URL(fileURLWithPath: directory.file("msg")))
        let publicKey = try SM2PublicKey(pem: String(contentsOfFile: directory.file("pub.pem"), encoding: .utf8))
        // The private key OpenSSL wrote reads too, and gives the same public key.
        let privateKey = try SM2PrivateKey(pem: String(contentsOfFile: directory.file("key.pem"), encoding: .utf8))
        #expect(privateKey.publicKey == publicKey)

        for (name, id) in [("default", "1234567812345678"), ("custom", "31.tongban.example")] {
            try OpenSSLCommand.run([
                "pkeyutl", "-sign", "-rawin", "-digest", "sm3", "-pkeyopt", "distid:\(id)",
                "-inkey", directory.file("key.pem"), "-in", directory.file("msg"), "-out", directory.file("\(name).der"),
            ])
            let der = try Data(contentsOf: URL(fileURLWithPath: directory.file("\(name).der")))
            #expect(publicKey.isValidDERSignature(der, for: Self.message, distinguishingID: Array(id.utf8)))
            let raw = try SM2.rawSignature(fromDER: der)
            #expect(publicKey.isValidSignature(raw, for: Self.message, distinguishingID: Array(id.utf8)))
            // Another ID, or another message, fails.
            #expect(!publicKey.isValidDERSignature(der, for: Self.message, distinguishingID: Array((id + "x").utf8)))
            #expect(!publicKey.isValidSignature(raw, for: Self.message + [0x0a]))
        }
        // Without an explicit ID the default applies on both sides.
        #expect(publicKey.isValidDERSignature(
            try Data(contentsOf: URL(fileURLWithPath: directory.file("default.der"))), for: Self.message))
    }

    static func verify(_ directory: TemporaryDirectory, signature: String, id: String) -> [String] {
        [
            "pkeyutl", "-verify", "-rawin", "-digest", "sm3", "-pkeyopt", "distid:\(id)",
            "-pubin", "-inkey", directory.file("pub.pem"), "-in", directory.file("msg"), "-sigfile", directory.file(signature),
        ]
    }
}
