import Foundation
import Testing
@testable import TongbanSigning

/// RFC 9530 examples (§B.1, and the B.2 bodies of RFC 9421).
@Suite struct ContentDigestTests {
    @Test func rfcExamples() {
        let body = Data(#"{"hello": "world"}"#.utf8)
        #expect(ContentDigest.field(for: body, algorithms: [.sha256]) == "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:")
        #expect(ContentDigest.field(for: body, algorithms: [.sha512])
                == "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:")
        #expect(ContentDigest.field(for: Data(#"{"message": "good dog"}"#.utf8), algorithms: [.sha512])
                == "sha-512=:mEWXIS7MaLRuGgxOBdODa3xqM1XdEvxoYhvlCFJ41QJgJc4GTsPp29l5oGX69wWdXymyU0rjJuahq4l5aGgfLQ==:")
    }

    @Test func verificationAcceptsMatchesAndRefusesTheRest() throws {
        let body = Data(#"{"hello": "world"}"#.utf8)
        try ContentDigest.verify(ContentDigest.field(for: body, algorithms: [.sha256, .sha512]), body: body)
        try ContentDigest.verify("md5=:abc=:, sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", body: body)
        for bad in ["sha-256=:AAAA:", "md5=:abc=:", "not a dictionary ((", "sha-256=\"text\""] {
            #expect { try ContentDigest.verify(bad, body: body) } throws: { ($0 as? SignatureError)?.kind == .digestMismatch }
        }
        #expect { try ContentDigest.verify(ContentDigest.field(for: body), body: Data("tampered".utf8)) } throws: { ($0 as? SignatureError)?.kind == .digestMismatch }
    }
}
