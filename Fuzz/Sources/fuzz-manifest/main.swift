import Crypto
import Foundation
import FuzzSupport
import TongbanCore
import TongbanPKI
import X509

// The federation manifest's check (`ManifestJWS.check`, what every gateway runs on a manifest it fetched) never
// crashes, whatever it is given, and a manifest it accepts, signed again, is accepted again as the same manifest.
//
// The first byte of the input chooses what the rest is (so that the fuzzer reaches past the signature):
// - 0: the whole compact JWS, as fetched;
// - 1: the payload (the manifest's JSON), signed here by an authority of the federation made at start-up;
// - 2: the protected header's JSON, over a valid manifest, signed by that authority.
struct Federation: @unchecked Sendable {
    let ca: FederationCA
    let key: P256.Signing.PrivateKey
    let authority: Certificate
    let trust: FederationTrust
    let header: [UInt8]
    let payload: [UInt8]

    init() throws {
        ca = try FederationCA.create(name: "Fuzz Root")
        key = P256.Signing.PrivateKey()
        authority = try ca.issueAuthority(publicKey: Certificate.PublicKey(key.publicKey), name: "Fuzz Authority")
        trust = FederationTrust(roots: [ca.certificate])
        var members: [FederationMember] = []
        for (code, type) in [("11", SigningKeyType.p256), ("31", .sm2), ("44", .ed25519)] {
            let credentials = try ProvinceCredentials.issue(by: ca, province: try ProvinceCode(code), dnsNames: [], ipAddresses: ["127.0.0.1"],
                                                            signingKeyType: type)
            members.append(try FederationMember(credentials: credentials, urls: ["https://127.0.0.1:74\(code)"]))
        }
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let manifest = FederationManifest(federation: "cn-fuzz", serial: 1, issuedAt: now, expiresAt: now.addingTimeInterval(7 * 86_400),
                                          members: members, matters: Array(Matter.defaults.prefix(2)))
        payload = Array(try JSONCoding.encoder().encode(manifest))
        let header = #"{"alg":"ES256","kid":"\#(authority.sha256Fingerprint)","typ":"tongban-federation-manifest+jws","x5c":["\#(Data(authority.derBytes).base64EncodedString())"]}"#
        self.header = Array(header.utf8)
    }

    func sign(header: [UInt8], payload: [UInt8]) -> String {
        let input = Self.base64URL(header) + "." + Self.base64URL(payload)
        let signature = try! key.signature(for: Data(input.utf8))
        return input + "." + Self.base64URL(signature.rawRepresentation)
    }

    static func base64URL(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

let federation = try! Federation()
Fuzz.writeSeedsIfAsked {
    ["jws-valid": [0] + Array(federation.sign(header: federation.header, payload: federation.payload).utf8),
     "jws-truncated": [0] + Array(federation.sign(header: federation.header, payload: federation.payload).utf8.prefix(120)),
     "payload-manifest": [1] + federation.payload,
     "payload-empty-object": [1] + Array("{}".utf8),
     "header-valid": [2] + federation.header,
     "header-crit": [2] + Array(#"{"alg":"ES256","typ":"tongban-federation-manifest+jws","kid":"x","x5c":[],"crit":["b64"]}"#.utf8)]
}

Fuzz.run { input in
    guard let mode = input.first else { return }
    let rest = Array(input.dropFirst())
    let jws: String = switch mode % 3 {
    case 0: String(decoding: rest, as: UTF8.self)
    case 1: federation.sign(header: federation.header, payload: rest)
    default: federation.sign(header: rest, payload: federation.payload)
    }
    let trust = federation.trust
    let result = Fuzz.wait { await ManifestJWS.check(jws, trust: trust) }
    guard case .success(let verified) = result else { return }
    let again = federation.sign(header: federation.header, payload: Array(try! JSONCoding.encoder().encode(verified.manifest)))
    let second = Fuzz.wait { await ManifestJWS.check(again, trust: trust) }
    guard case .success(let reverified) = second, reverified.manifest == verified.manifest else {
        Fuzz.difference("manifest", "an accepted manifest, signed again, is not accepted as the same: \(second)", input: input)
    }
}
