import Foundation
import Testing
import TongbanTestKit
@testable import TongbanGM

@Suite struct SM3Tests {
    // GM/T 0004-2012 (GB/T 32905-2016), Appendix A: example 1 ("abc") and example 2 (the 512-bit "abcd" × 16).
    @Test(arguments: [
        ("abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
        (String(repeating: "abcd", count: 16), "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
    ])
    func standardExamples(message: String, digest: String) {
        #expect(Hex.string(SM3.hash(Array(message.utf8))) == digest)
    }

    @Test func emptyAndDataInputs() {
        // SM3("") as `openssl dgst -sm3` gives it.
        #expect(Hex.string(SM3.hash([UInt8]())) == "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b")
        #expect(SM3.hash(Data("abc".utf8)) == SM3.hash(Array("abc".utf8)))
    }

    /// HMAC-SM3 with RFC 4231 test case 1's inputs (key 0x0b × 20, "Hi There"); the expected code is the one
    /// Bouncy Castle's `HMacTest.java` (bc-java, prov/src/test/java/org/bouncycastle/jce/provider/test) checks.
    @Test func hmacPublishedVector() {
        let code = HMACSM3.authenticationCode(for: Array("Hi There".utf8), key: [UInt8](repeating: 0x0b, count: 20))
        #expect(Hex.string(code) == "51b00d1fb49832bfb01c3ce27848e59f871d9ba938dc563b338ca964755cce70")
    }

    /// HMAC-SM3 against `openssl mac` (the command line is an independent implementation), for keys shorter than,
    /// equal to and longer than SM3's 64-byte block, and an empty message.
    @Test(arguments: [
        ("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There"),
        (String(repeating: "aa", count: 64), "Test With Block-Sized Key - Hash Key First"),
        (String(repeating: "aa", count: 131), "Test Using Larger Than Block-Size Key - Hash Key First"),
        ("4a656665", ""),
    ])
    func hmacAgreesWithOpenSSLCommand(keyHex: String, message: String) throws {
        let directory = try TemporaryDirectory("tb-sm3")
        defer { directory.remove() }
        try Data(message.utf8).write(to: URL(fileURLWithPath: directory.file("message")))
        let output = try OpenSSLCommand.run([
            "mac", "-digest", "SM3", "-macopt", "hexkey:\(keyHex)", "-in", directory.file("message"), "HMAC",
        ])
        let expected = output.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let code = HMACSM3.authenticationCode(for: Array(message.utf8), key: Hex.bytes(keyHex))
        #expect(Hex.string(code) == expected)
        #expect(HMACSM3.isValidAuthenticationCode(code, for: Array(message.utf8), key: Hex.bytes(keyHex)))
        #expect(!HMACSM3.isValidAuthenticationCode(code, for: Array((message + "!").utf8), key: Hex.bytes(keyHex)))
    }
}
