import Foundation
import TongbanCore
import TongbanSigning
import TongbanTestKit

/// Makes hostile requests from valid ones: a baseline signed by the calling province's own key (the project's
/// `MessageSigner`), then one mutation of a class. Case `i` of seed `s` is the same request on every run (the
/// request id and the mutation are drawn from `SeededGenerator(seed: s, case: i)`; only `created` is the clock's).
struct HostileGenerator: Sendable {
    /// The calling province's signer, the answering province's own (another province's key for the caller), and a
    /// key no manifest lists.
    let signer: MessageSigner
    let otherProvinceSigner: MessageSigner
    let unlistedSigner: MessageSigner
    /// `host:port` of the peer listener and of the local listener.
    let peerAuthority: String
    let localAuthority: String
    /// A department's bearer token on the local listener.
    let departmentToken: String
    let seed: UInt64
    /// A subject the answering province holds.
    let person: String

    /// One case in twenty is an unmutated control; the others are spread evenly over the hostile classes.
    static let controlEvery = 20
    static let hostileClasses = HostileClass.allCases.filter { $0 != .control }

    /// The cases of index `index`: one, or two when the case needs a first request (a replay).
    func cases(at index: Int) -> [HostileCase] {
        var rng = SeededGenerator(seed: seed, case: index)
        let hostileClass = index % Self.controlEvery == 0 ? .control : Self.hostileClasses.randomElement(using: &rng)!
        var context = Context(index: index, hostileClass: hostileClass, rng: rng, generator: self)
        switch hostileClass {
        case .control: return control(&context)
        case .signedComponent: return signedComponent(&context)
        case .structuredField: return structuredField(&context)
        case .duplicatedHeader: return duplicatedHeader(&context)
        case .body: return body(&context)
        case .contentCoding: return contentCoding(&context)
        case .json: return json(&context)
        case .nulAndUTF8: return nulAndUTF8(&context)
        case .target: return target(&context)
        case .wrongListener: return wrongListener(&context)
        }
    }

    /// What one case's generation draws from.
    struct Context {
        let index: Int
        let hostileClass: HostileClass
        var rng: SeededGenerator
        let generator: HostileGenerator

        mutating func pick<T>(_ choices: [T]) -> T { choices.randomElement(using: &rng)! }
        mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
        mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
        mutating func uuid() -> String { rng.uuid() }

        func make(_ name: String, _ request: RawRequest, _ verdict: HostileVerdict, target: HostileTarget = .peer,
                  fresh: Bool = false) -> HostileCase {
            HostileCase(index: index, hostileClass: hostileClass, name: name, target: target, bytes: request.bytes(), verdict: verdict,
                        head: ["HEAD", "CONNECT"].contains(request.method), fresh: fresh)
        }

        func make(_ name: String, bytes: [UInt8], _ verdict: HostileVerdict, target: HostileTarget = .peer, fresh: Bool = false,
                  head: Bool = false) -> HostileCase {
            HostileCase(index: index, hostileClass: hostileClass, name: name, target: target, bytes: bytes, verdict: verdict,
                        head: head, fresh: fresh)
        }
    }

    // MARK: Baselines

    /// An endpoint a baseline request is sent to.
    enum Endpoint: CaseIterable {
        case ping, query, verify, catalogue, federation

        var method: String { [.catalogue, .federation].contains(self) ? "GET" : "POST" }
        var path: String {
            switch self {
            case .ping: "/v1/ping"
            case .query: "/v1/query"
            case .verify: "/v1/verify"
            case .catalogue: "/v1/catalogue"
            case .federation: "/v1/federation"
            }
        }
    }

    func validBody(_ endpoint: Endpoint, _ context: inout Context) -> [UInt8] {
        switch endpoint {
        case .ping: Array(#"{"n":\#(context.int(0...1_000_000))}"#.utf8)
        case .query: Array(queryJSON().utf8)
        case .verify: Array(verifyJSON().utf8)
        case .catalogue, .federation: []
        }
    }

    func queryJSON(resource: String = "\"\(TestCatalogue.household)\"", matter: String = #""medical-registration""#,
                   subjects: String? = nil, requester: String? = nil, extra: String = "") -> String {
        #"{"resource":\#(resource),"matter":\#(matter),"requester":\#(requester ?? Self.requester),"subjects":\#(subjects ?? "[\"\(person)\"]")\#(extra)}"#
    }

    func verifyJSON(subject: String? = nil, claims: String = #"{"name":"王小明"}"#, extra: String = "") -> String {
        #"{"resource":"\#(TestCatalogue.household)","matter":"medical-registration","requester":\#(Self.requester),"subject":\#(subject ?? "\"\(person)\""),"claims":\#(claims)\#(extra)}"#
    }

    static let requester = #"{"departmentCode":"11010500","departmentName":"朝阳区公安分局","operatorId":"op-1"}"#

    /// A request signed as the calling province signs it, sent to `authority` (the peer listener's by default).
    /// `signedTarget`, `signedMethod`, `signedAuthority`: what the signature says, when a test sends something else.
    func signed(_ context: inout Context, method: String, target: String, body: [UInt8], contentType: String = "application/json",
                digest: String? = nil, extra: [(name: String, value: String)] = [], requestID: String? = nil,
                components: [ComponentIdentifier]? = nil, created: Date = Date(), signer: MessageSigner? = nil,
                authority: String? = nil, signedAuthority: String? = nil, signedTarget: String? = nil,
                signedMethod: String? = nil) -> RawRequest {
        let authority = authority ?? peerAuthority
        var fields: [(name: String, value: String)] = [("Host", authority), ("Tongban-Request-Id", requestID ?? context.uuid())]
        if !body.isEmpty {
            fields += [("Content-Type", contentType), ("Content-Digest", digest ?? ContentDigest.field(for: body))]
        }
        fields += extra
        let view = HTTPMessageView.request(method: signedMethod ?? method, scheme: "https", authority: signedAuthority ?? authority,
                                           target: signedTarget ?? target, fields: Array(fields.dropFirst()))
        let signer = signer ?? self.signer
        if let signature = try? signer.sign(view, covering: components ?? TongbanProfile.requestComponents(hasBody: !body.isEmpty),
                                            created: created) {
            fields += [("Signature-Input", signature.input), ("Signature", signature.signature)]
        }
        return RawRequest(method: method, target: target, fields: fields, body: body)
    }

    /// A valid signed request to one of the endpoints.
    func baseline(_ context: inout Context, _ endpoints: [Endpoint] = Endpoint.allCases) -> (Endpoint, RawRequest) {
        let endpoint = context.pick(endpoints)
        let body = validBody(endpoint, &context)
        return (endpoint, signed(&context, method: endpoint.method, target: endpoint.path, body: body))
    }

    /// The unmutated controls: each endpoint validly signed, a gzip-coded query, and the local listener and admin
    /// socket used as their own callers use them. All must be answered 2xx.
    func control(_ context: inout Context) -> [HostileCase] {
        switch context.int(0...9) {
        case 0...5:
            let (endpoint, request) = baseline(&context)
            return [context.make("valid \(endpoint.method) \(endpoint.path)", request, .accept)]
        case 6:
            let coded = Self.gzip(Array(queryJSON().utf8))
            let request = signed(&context, method: "POST", target: "/v1/query", body: coded, extra: [("Content-Encoding", "gzip")])
            return [context.make("valid gzip-coded POST /v1/query", request, .accept)]
        case 7:
            let request = RawRequest(method: "GET", target: "/v1/identity", fields: [("Host", peerAuthority)], body: [])
            return [context.make("valid unsigned GET /v1/identity (exempt)", request, .accept)]
        case 8:
            let request = RawRequest(method: "GET", target: "/local/v1/catalogues",
                                     fields: [("Host", localAuthority), ("Authorization", "Bearer \(departmentToken)")], body: [])
            return [context.make("valid GET /local/v1/catalogues on the local listener", request, .accept, target: .local)]
        default:
            let request = RawRequest(method: "GET", target: "/v1/status", fields: [("Host", "localhost")], body: [])
            return [context.make("valid GET /v1/status on the admin socket", request, .accept, target: .admin)]
        }
    }
}
