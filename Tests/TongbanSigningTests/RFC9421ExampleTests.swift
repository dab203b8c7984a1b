import Crypto
import Foundation
import Testing
@testable import TongbanSigning

/// RFC 9421 Appendix B.2: the test request and response of B.1, and the signature base of every example,
/// byte for byte; the ECDSA (B.2.4) and Ed25519 (B.2.6) signatures verified with the RFC's test keys.
@Suite struct RFC9421ExampleTests {
    static let request = HTTPMessageView.request(
        method: "POST", scheme: "https", authority: "example.com", target: "/foo?param=Value&Pet=dog",
        fields: [
            ("Host", "example.com"), ("Date", "Tue, 20 Apr 2021 02:07:55 GMT"), ("Content-Type", "application/json"),
            ("Content-Digest", "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"),
            ("Content-Length", "18"),
        ])
    static let response = HTTPMessageView.response(status: 200, fields: [
        ("Date", "Tue, 20 Apr 2021 02:07:56 GMT"), ("Content-Type", "application/json"),
        ("Content-Digest", "sha-512=:mEWXIS7MaLRuGgxOBdODa3xqM1XdEvxoYhvlCFJ41QJgJc4GTsPp29l5oGX69wWdXymyU0rjJuahq4l5aGgfLQ==:"),
        ("Content-Length", "23"),
    ])
    static let created: Int64 = 1_618_884_473

    /// B.1.3 test-key-ecc-p256 and B.1.4 test-key-ed25519.
    static let eccPrivate = """
    -----BEGIN EC PRIVATE KEY-----
    MHcCAQEEIFKbhfNZfpDsW43+0+JjUr9K+bTeuxopu653+hBaXGA7oAoGCCqGSM49
    AwEHoUQDQgAEqIVYZVLCrPZHGHjP17CTW0/+D9Lfw0EkjqF7xB4FivAxzic30tMM
    4GF+hR6Dxh71Z50VGGdldkkDXZCnTNnoXQ==
    -----END EC PRIVATE KEY-----
    """
    static let eccPublic = """
    -----BEGIN PUBLIC KEY-----
    MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqIVYZVLCrPZHGHjP17CTW0/+D9Lf
    w0EkjqF7xB4FivAxzic30tMM4GF+hR6Dxh71Z50VGGdldkkDXZCnTNnoXQ==
    -----END PUBLIC KEY-----
    """
    static let ed25519Private = """
    -----BEGIN PRIVATE KEY-----
    MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF
    -----END PRIVATE KEY-----
    """
    /// B.1.4: the public key's raw value (JWK "x").
    static let ed25519PublicX = "JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"

    static func input(_ names: [String], keyID: String, nonce: String? = nil, tag: String? = nil) -> SignatureInput {
        let components = names.map { name -> ComponentIdentifier in
            name == "@query-param;Pet" ? ComponentIdentifier("@query-param", queryName: "Pet") : ComponentIdentifier(name)
        }
        return SignatureInput(components: components, created: created, keyID: keyID, algorithm: nil, nonce: nonce, tag: tag)
    }

    @Test func b21MinimalSignatureBase() throws {
        let input = Self.input([], keyID: "test-key-rsa-pss", nonce: "b3k2pp5k7z-50gnwp.yemd")
        #expect(SignatureFields.inputField(label: "sig-b21", input)
                == #"sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd""#)
        #expect(try SignatureBase.make(input, message: Self.request)
                == #""@signature-params": ();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd""#)
    }

    @Test func b22SelectiveSignatureBase() throws {
        let input = Self.input(["@authority", "content-digest", "@query-param;Pet"], keyID: "test-key-rsa-pss", tag: "header-example")
        let expected = """
        "@authority": example.com
        "content-digest": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:
        "@query-param";name="Pet": dog
        "@signature-params": ("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example"
        """
        #expect(try SignatureBase.make(input, message: Self.request) == expected)
    }

    @Test func b23FullCoverageSignatureBase() throws {
        let input = Self.input(["date", "@method", "@path", "@query", "@authority", "content-type", "content-digest", "content-length"],
                               keyID: "test-key-rsa-pss")
        let expected = """
        "date": Tue, 20 Apr 2021 02:07:55 GMT
        "@method": POST
        "@path": /foo
        "@query": ?param=Value&Pet=dog
        "@authority": example.com
        "content-type": application/json
        "content-digest": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:
        "content-length": 18
        "@signature-params": ("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss"
        """
        #expect(try SignatureBase.make(input, message: Self.request) == expected)
    }

    @Test func b24ResponseWithECDSAP256() throws {
        let input = Self.input(["@status", "content-type", "content-digest", "content-length"], keyID: "test-key-ecc-p256")
        let base = try SignatureBase.make(input, message: Self.response)
        #expect(base == """
        "@status": 200
        "content-type": application/json
        "content-digest": sha-512=:mEWXIS7MaLRuGgxOBdODa3xqM1XdEvxoYhvlCFJ41QJgJc4GTsPp29l5oGX69wWdXymyU0rjJuahq4l5aGgfLQ==:
        "content-length": 23
        "@signature-params": ("@status" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-ecc-p256"
        """)
        // The RFC's signature value verifies with the RFC's public key.
        let key = MessageVerificationKey.p256(try P256.Signing.PublicKey(pemRepresentation: Self.eccPublic))
        let rfcSignature = Array(Data(base64Encoded: "wNmSUAhwb5LxtOtOpNa6W5xj067m5hFrj0XQ4fvpaCLx0NKocgPquLgyahnzDnDAUy5eCdlYUEkLIj+32oiasw==")!)
        #expect(key.isValid(rfcSignature, for: base))
        var tampered = rfcSignature
        tampered[10] ^= 1
        #expect(!key.isValid(tampered, for: base))
        // And a fresh signature by the RFC's private key verifies too (ECDSA is randomised).
        let signer = try MessageSigningKey(pem: Self.eccPrivate)
        #expect(signer.algorithm == .ecdsaP256SHA256)
        #expect(key.isValid(try signer.sign(base), for: base))
    }

    @Test func b25HMACSignatureBase() throws {
        let input = Self.input(["date", "@authority", "content-type"], keyID: "test-shared-secret")
        let base = try SignatureBase.make(input, message: Self.request)
        #expect(base == """
        "date": Tue, 20 Apr 2021 02:07:55 GMT
        "@authority": example.com
        "content-type": application/json
        "@signature-params": ("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"
        """)
        // The RFC's HMAC over this base proves the bytes are exact.
        let secret = SymmetricKey(data: Data(base64Encoded: "uzvJfB4u3N0Jy4T7NZ75MDVcr8zSTInedJtkgcu46YW4XByzNJjxBdtjUkdJPBtbmHhIDi6pcl8jsasjlTMtDQ==")!)
        let mac = Data(HMAC<SHA256>.authenticationCode(for: Data(base.utf8), using: secret)).base64EncodedString()
        #expect(mac == "pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=")
    }

    @Test func b26RequestWithEd25519() throws {
        let input = Self.input(["date", "@method", "@path", "@authority", "content-type", "content-length"], keyID: "test-key-ed25519")
        let base = try SignatureBase.make(input, message: Self.request)
        #expect(base == """
        "date": Tue, 20 Apr 2021 02:07:55 GMT
        "@method": POST
        "@path": /foo
        "@authority": example.com
        "content-type": application/json
        "content-length": 18
        "@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"
        """)
        let signer = try MessageSigningKey(pem: Self.ed25519Private)
        #expect(signer.algorithm == .ed25519)
        let expected = "wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw=="
        #expect(Data(try signer.sign(base)).base64EncodedString() == expected)
        // The same key saved with Windows line ends ("\r\n" is one Character in Swift) reads as the same key.
        let crlf = try MessageSigningKey(pem: Self.ed25519Private.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(Data(try crlf.sign(base)).base64EncodedString() == expected)
        var x = Self.ed25519PublicX.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while x.count % 4 != 0 { x += "=" }
        let publicKey = MessageVerificationKey.ed25519(try Curve25519.Signing.PublicKey(rawRepresentation: Data(base64Encoded: x)!))
        #expect(publicKey.isValid(Array(Data(base64Encoded: expected)!), for: base))
    }

    @Test func responseBoundToRequestSignature() throws {
        // A response covering "signature";req;key="sig1" takes the request's Signature member, re-serialised.
        var request = Self.request
        request.fields.append(("Signature", #"sig1=:YWJj:, other=:ZGVm:"#))
        let input = SignatureInput(components: [ComponentIdentifier("@status"), ComponentIdentifier("signature", req: true, key: "sig1")],
                                   created: Self.created, keyID: "k", algorithm: nil)
        #expect(try SignatureBase.make(input, message: Self.response, request: request) == """
        "@status": 200
        "signature";req;key="sig1": :YWJj:
        "@signature-params": ("@status" "signature";req;key="sig1");created=1618884473;keyid="k"
        """)
        #expect(throws: SignatureError.self) { try SignatureBase.make(input, message: Self.response) }
    }

    @Test func missingComponentAndDuplicatesAreRefused() {
        let absent = Self.input(["x-not-there"], keyID: "k")
        #expect { try SignatureBase.make(absent, message: Self.request) } throws: { ($0 as? SignatureError)?.kind == .incomplete }
        let twice = Self.input(["date", "date"], keyID: "k")
        #expect { try SignatureBase.make(twice, message: Self.request) } throws: { ($0 as? SignatureError)?.kind == .invalid }
        let status = Self.input(["@status"], keyID: "k")
        #expect { try SignatureBase.make(status, message: Self.request) } throws: { ($0 as? SignatureError)?.kind == .incomplete }
    }
}

extension RFC9421ExampleTests {
    /// RFC 9421 §2.1: a field's value is its lines' values, trimmed, joined with ", "; names match in any case.
    @Test func fieldValuesAreTrimmedAndCombined() {
        let view = HTTPMessageView.response(status: 200, fields: [("X-Example", " one \t"), ("Content-Type", "application/json"),
                                                                  ("x-example", "two"), ("Blank", "  "), ("Cache-Control", "\tmax-age=60")])
        #expect(view.field("x-example") == "one, two")
        #expect(view.field("content-type") == "application/json")
        #expect(view.field("CACHE-CONTROL") == "max-age=60")
        #expect(view.field("blank") == "")
        #expect(view.field("absent") == nil)
    }
}
