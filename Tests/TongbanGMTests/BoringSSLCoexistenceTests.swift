import Crypto
import Foundation
import Testing
@testable import TongbanGM

/// libcrypto (through TongbanGM) and swift-crypto's BoringSSL in one process: BoringSSL's symbols are prefixed
/// (`CCryptoBoringSSL_…`), libcrypto's are not, so each call reaches its own library. If they clashed, one side
/// would call the other's functions and these results would be wrong or crash.
@Suite struct BoringSSLCoexistenceTests {
    @Test func bothLibrariesInOneProcess() async throws {
        let message = Data("abc".utf8)
        // BoringSSL: SHA-256 and P-256.
        #expect(Hex.string(SHA256.hash(data: message))
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let p256 = P256.Signing.PrivateKey()
        let p256Signature = try p256.signature(for: message)
        #expect(p256.publicKey.isValidSignature(p256Signature, for: message))
        // libcrypto: SM3 and SM2.
        #expect(Hex.string(SM3.hash(message)) == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
        let sm2 = try SM2PrivateKey()
        #expect(sm2.publicKey.isValidSignature(try sm2.sign(message), for: message))

        // Interleaved on many threads at once.
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<32 {
                group.addTask {
                    let data = Data("record \(index)".utf8)
                    if index.isMultiple(of: 2) {
                        guard let signature = try? p256.signature(for: data) else { return false }
                        return p256.publicKey.isValidSignature(signature, for: data)
                            && Array(SHA256.hash(data: data)).count == 32
                    } else {
                        guard let signature = try? sm2.sign(data) else { return false }
                        return sm2.publicKey.isValidSignature(signature, for: data) && SM3.hash(data).count == 32
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.count == 32 && outcomes.allSatisfy { $0 })

        // An SM2 signature is not a P-256 one, and the keys do not cross.
        #expect(throws: (any Error).self) { try SM2PublicKey(spki: p256.publicKey.derRepresentation) }
        #expect(throws: (any Error).self) { try P256.Signing.PublicKey(derRepresentation: sm2.publicKey.derRepresentation) }
    }
}
