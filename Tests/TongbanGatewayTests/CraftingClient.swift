import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TongbanCore
import TongbanPKI
import TongbanSigning
import TongbanTestKit

/// A test client that speaks TLS as one province and signs (or not) with whatever key a test gives it,
/// so each refusal of the profile can be provoked on a live daemon.
struct CraftingClient {
    let http: HTTPClient
    let target: TestFederation.Member
    let signer: MessageSigner

    init(tlsAs member: TestFederation.Member, signingKeyOf signerMember: TestFederation.Member, target: TestFederation.Member) throws {
        try self.init(tlsAs: member, signingCertificate: signerMember.pki + "/signing.crt", signingKey: signerMember.pki + "/signing.key",
                      target: target)
    }

    /// Signs with the key and certificate in these files (an old key kept by a test, say).
    init(tlsAs member: TestFederation.Member, signingCertificate: String, signingKey: String, target: TestFederation.Member) throws {
        http = try TLSClients.rawClient(certificate: member.pki + "/tls.crt", key: member.pki + "/tls.key", root: member.pki + "/root.crt")
        let certificate = try PEMFile.readCertificate(signingCertificate)
        signer = MessageSigner(key: try MessageSigningKey(pem: try PEMFile.readText(signingKey)),
                               keyID: certificate.sha256Fingerprint, label: TongbanProfile.label)
        self.target = target
    }

    /// Signs with `signer` (a key with no certificate: an SM2 key listed in the manifest, say).
    init(tlsAs member: TestFederation.Member, signer: MessageSigner, target: TestFederation.Member) throws {
        http = try TLSClients.rawClient(certificate: member.pki + "/tls.crt", key: member.pki + "/tls.key", root: member.pki + "/root.crt")
        self.signer = signer
        self.target = target
    }

    struct Result {
        let status: Int
        let headers: HTTPHeaders
        let rawBody: Data
        var body: String { String(decoding: rawBody, as: UTF8.self) }
        var code: String? { (try? JSONCoding.decoder().decode(Problem.self, from: rawBody))?.code }
    }

    /// Sends a signed request; `body` is what is signed and digested, `sentBody` (if given) what is sent.
    func send(_ method: HTTPMethod = .POST, _ path: String = "/v1/ping", body: Data? = Data("{}".utf8),
              requestID: String = UUID().uuidString.lowercased(), created: Date = Date(),
              components: [ComponentIdentifier]? = nil, sign: Bool = true, headers extra: [(name: String, value: String)] = [],
              tamper: (inout [(name: String, value: String)]) -> Void = { _ in }, sentBody: Data? = nil,
              authority: String? = nil, digests: [ContentDigest.Algorithm] = [.sha256]) async throws -> Result {
        var fields: [(name: String, value: String)] = [("Tongban-Request-Id", requestID)] + extra
        if let body {
            fields += [("Content-Type", "application/json"), ("Content-Digest", ContentDigest.field(for: body, algorithms: digests))]
        }
        let view = HTTPMessageView.request(method: method.rawValue, scheme: "https", authority: authority ?? "127.0.0.1:\(target.peerPort)",
                                           target: path, fields: fields)
        if sign {
            let signed = try signer.sign(view, covering: components ?? TongbanProfile.requestComponents(hasBody: body != nil), created: created)
            fields += [("Signature-Input", signed.input), ("Signature", signed.signature)]
        }
        tamper(&fields)
        var request = HTTPClientRequest(url: target.peerURL + path)
        request.method = method
        if let authority { request.headers.replaceOrAdd(name: "Host", value: authority) }
        for field in fields { request.headers.add(name: field.name, value: field.value) }
        if let payload = sentBody ?? body { request.body = .bytes(ByteBuffer(bytes: payload)) }
        let response = try await http.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 64 << 20)
        return Result(status: Int(response.status.code), headers: response.headers, rawBody: Data(collected.readableBytesView))
    }

    func ping(body: String = "{}", requestID: String = UUID().uuidString.lowercased(), created: Date = Date(),
              components: [ComponentIdentifier]? = nil, sign: Bool = true,
              tamper: (inout [(name: String, value: String)]) -> Void = { _ in }, sentBody: String? = nil) async throws -> Result {
        try await send(body: Data(body.utf8), requestID: requestID, created: created, components: components, sign: sign,
                       tamper: tamper, sentBody: sentBody.map { Data($0.utf8) })
    }
}
