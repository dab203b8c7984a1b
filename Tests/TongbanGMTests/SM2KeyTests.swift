import Crypto
import Foundation
import Testing
import TongbanCore
@testable import TongbanGM

@Suite struct SM2KeyTests {
    @Test func pemRoundTrips() throws {
        let key = try SM2PrivateKey()
        let pem = key.pemRepresentation
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let again = try SM2PrivateKey(pem: pem)
        #expect(again.publicKey == key.publicKey)
        #expect(again.pemRepresentation == pem)

        let publicPEM = key.publicKey.pemRepresentation
        #expect(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        #expect(try SM2PublicKey(pem: publicPEM) == key.publicKey)
        #expect(try SM2PublicKey(spki: key.publicKey.derRepresentation) == key.publicKey)
        #expect(key.publicKey.derRepresentation.count == 91)
        #expect(try SM2PrivateKey().publicKey != key.publicKey)
    }

    @Test func signsAndVerifies() throws {
        let key = try SM2PrivateKey()
        let message = Data("GET /v1/records 11 → 31".utf8)
        let signature = try key.sign(message)
        #expect(signature.count == SM2.rawSignatureByteCount)
        #expect(key.publicKey.isValidSignature(signature, for: message))
        #expect(!key.publicKey.isValidSignature(signature, for: message.dropLast()))
        #expect(!(try SM2PrivateKey()).publicKey.isValidSignature(signature, for: message))

        let id = Array("gd.tongban.gov.cn".utf8)
        let withID = try key.sign(message, distinguishingID: id)
        #expect(key.publicKey.isValidSignature(withID, for: message, distinguishingID: id))
        #expect(!key.publicKey.isValidSignature(withID, for: message))

        let empty = try key.sign([UInt8]())
        #expect(key.publicKey.isValidSignature(empty, for: [UInt8]()))
    }

    @Test func convertsBetweenRawAndDER() throws {
        let key = try SM2PrivateKey()
        for _ in 0..<32 {
            let der = try key.derSignature(Array("a".utf8))
            let raw = try SM2.rawSignature(fromDER: der)
            #expect(raw.count == 64)
            #expect(try SM2.derSignature(fromRaw: raw) == der)
            #expect(key.publicKey.isValidDERSignature(der, for: Array("a".utf8)))
            #expect(key.publicKey.isValidSignature(raw, for: Array("a".utf8)))
        }
        #expect(throws: TongbanError(.signatureInvalid, "")) { try SM2.rawSignature(fromDER: [0x30, 0x00]) }
        #expect(throws: TongbanError(.signatureInvalid, "")) { try SM2.derSignature(fromRaw: [UInt8](repeating: 1, count: 65)) }
        // A 33-byte r does not fit r ‖ s.
        let tooLong = [0x30, 0x26, 0x02, 0x21, 0x01] + [UInt8](repeating: 1, count: 32) + [0x02, 0x01, 0x01]
        #expect(throws: TongbanError(.signatureInvalid, "")) { try SM2.rawSignature(fromDER: tooLong) }
    }

    @Test func refusesKeysThatAreNotSM2() throws {
        let p256 = P256.Signing.PrivateKey()
        #expect(throws: TongbanError(.pkiInvalid, "")) { try SM2PrivateKey(pem: p256.pemRepresentation) }
        #expect(throws: TongbanError(.pkiInvalid, "")) { try SM2PublicKey(pem: p256.publicKey.pemRepresentation) }
        #expect(throws: TongbanError(.pkiInvalid, "")) { try SM2PublicKey(spki: p256.publicKey.derRepresentation) }
        #expect(throws: TongbanError(.pkiInvalid, "")) { try SM2PrivateKey(pem: "not a key") }
        #expect(throws: TongbanError(.pkiInvalid, "")) { try SM2PublicKey(spki: [UInt8]()) }
        let sm2 = try SM2PrivateKey().publicKey.derRepresentation
        #expect(throws: TongbanError(.pkiInvalid, "")) { try SM2PublicKey(spki: sm2 + [0]) }
        do {
            _ = try SM2PublicKey(pem: p256.publicKey.pemRepresentation)
        } catch let error as TongbanError {
            // OpenSSL's reason reaches the message.
            #expect(error.message.contains("not an SM2 public key in PEM: "))
        }
    }

    @Test func keysAreSharedAcrossTasks() async throws {
        let key = try SM2PrivateKey()
        let message = Array("concurrent".utf8)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<64 {
                group.addTask {
                    guard let signature = try? key.sign(message) else { return false }
                    return key.publicKey.isValidSignature(signature, for: message)
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 64 && results.allSatisfy { $0 })
    }

    @Test func reportsTheOpenSSLItRunsOn() {
        #expect(SM2.libraryVersion.hasPrefix("OpenSSL 3."))
    }
}
