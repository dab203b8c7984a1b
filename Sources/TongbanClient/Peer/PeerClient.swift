import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
import TongbanCore
import TongbanPKI
import TongbanSigning

/// The gateway's outbound side: calls peers' peer listeners over mutual TLS on the federation PKI, signs
/// every request (RFC 9421, Tongban profile) and refuses any answer whose digest, signature or binding to
/// the request does not verify. Which key signs, and which key each callee's answer must carry, come from
/// `keys` (the federation manifest). Identities are in `PeerClient+Identities.swift`, probing in
/// `PeerClient+Probing.swift`, the wire in `PeerClient+Wire.swift`.
public final class PeerClient: Sendable {
    /// One HTTP client per peer address, each connecting to the peer's configured host under the province's host
    /// name (`ProvinceHostName`): the TLS host-name check is then the check of the province. Made on first use.
    private let clients = Mutex<[String: HTTPClient]>([:])
    private let configuration: HTTPClient.Configuration
    let credentials: ClientCredentials
    let trust: FederationTrust
    let timeout: TimeAmount
    /// The manifest's decisions: this province's signer, and the keys of callees' answers.
    public let keys: any PeerKeys
    let verifier: MessageVerifier
    let resilience: PeerResilience
    /// Every peer's circuit breaker; shared with the client a reload puts in this one's place.
    public let circuits: PeerCircuits
    let logger: Logger?

    /// `connectionsPerPeer` bounds the keep-alive connections kept to each peer (the benchmark raises it).
    public init(credentials: ClientCredentials, trust: FederationTrust, keys: any PeerKeys, resilience: PeerResilience,
                circuits: PeerCircuits? = nil, signatureWindowSeconds: Int = 300, connectionsPerPeer: Int = 8, logger: Logger? = nil) {
        self.credentials = credentials
        self.trust = trust
        self.keys = keys
        self.resilience = resilience
        self.circuits = circuits ?? PeerCircuits(threshold: resilience.circuitFailureThreshold,
                                                 openDuration: .milliseconds(Int64(resilience.circuitOpenSeconds * 1000)))
        self.logger = logger
        self.verifier = MessageVerifier(label: TongbanProfile.label, window: .seconds(signatureWindowSeconds))
        self.timeout = .milliseconds(Int64(resilience.timeoutSeconds * 1000))
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: credentials.clientTLSConfiguration,
            timeout: .init(connect: .milliseconds(Int64(resilience.connectTimeoutSeconds * 1000)), read: self.timeout),
            decompression: .disabled)
        configuration.redirectConfiguration = .disallow
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connectionsPerPeer
        // A refused connection (the peer's port closed: RST at once) fails the call at once instead of being
        // tried again until the connect timeout; `send` decides what is tried again, and the circuit counts it.
        configuration.connectionPool.retryConnectionEstablishment = false
        self.configuration = configuration
    }

    public func shutdown() async throws {
        let all = clients.withLock { clients in
            defer { clients = [:] }
            return Array(clients.values)
        }
        for client in all { try await client.shutdown() }
    }

    /// Where a call to `peer` goes: `https://province-31.tongban.invalid:PORT`, and the client that maps that name
    /// to the host of the peer's configured URL (its TCP target; DNS resolves that host as usual).
    func route(to peer: PeerEndpoint) throws(TongbanError) -> (client: HTTPClient, base: String, authority: String) {
        guard let url = URL(string: peer.url), url.scheme == "https", let host = url.host, !host.isEmpty else {
            throw TongbanError(.configInvalid, "peer \(peer.code) has an invalid URL \(peer.url)")
        }
        let name = ProvinceHostName.make(peer.code)
        let authority = name + ":" + String(url.port ?? 443)
        let target = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let client = clients.withLock { clients in
            let key = peer.code.rawValue + " " + target
            if let known = clients[key] { return known }
            var configuration = self.configuration
            configuration.dnsOverride = [name: target]
            let made = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            clients[key] = made
            return made
        }
        return (client, "https://" + authority, authority)
    }

    /// Sends `call` to `peer` and decodes its verified answer once, into the type its endpoint returns or the
    /// peer's refusal.
    public func call(_ call: OutboundCall, to peer: PeerEndpoint) async throws(TongbanError) -> (response: PeerResponse, answer: OutboundAnswer) {
        let response = try await request(peer, method: .POST, path: "/v1/" + call.endpoint, json: call.body())
        return (response, try OutboundAnswer(to: call, status: response.status, body: response.body, peer: peer.code))
    }

    /// Sends a signed request to `peer` and returns its verified answer (any status: refusals are signed too).
    ///
    /// The request is sent once. The answer must be signed with a key the manifest lists for the peer, in force
    /// and not revoked; one that is not is refused — the request is never sent again, since the peer may
    /// already have served and audited it.
    public func request(_ peer: PeerEndpoint, method: HTTPMethod, path: String, json body: Data?,
                        fields extra: [(name: String, value: String)] = []) async throws(TongbanError) -> PeerResponse {
        let exchange = try await send(peer, method: method, path: path, body: body, fields: extra)
        try verifyResponse(exchange, peer: peer)
        let body: Data
        switch exchange.response.field("Content-Encoding")?.lowercased() {
        case nil, "identity": body = exchange.body
        case "gzip": body = try Self.decode(exchange.body, .gzip, peer: peer)
        case "deflate": body = try Self.decode(exchange.body, .deflate, peer: peer)
        case let other?: throw TongbanError(.encodingUnsupported, "peer \(peer.code) answered in unsupported coding \(other)")
        }
        return PeerResponse(status: exchange.status, body: body, wireBytes: exchange.body.count, requestID: exchange.requestID,
                            requestSignature: exchange.requestSignatureFields, responseSignature: exchange.responseSignatureFields)
    }

    /// The peer's directory, or nil when it is unchanged since `version` (304).
    public func catalogue(of peer: PeerEndpoint, ifNoneMatch version: String?) async throws(TongbanError) -> CatalogueDocument? {
        var fields: [(name: String, value: String)] = [("Accept-Encoding", "gzip, deflate")]
        if let version { fields.append(("If-None-Match", "\"\(version)\"")) }
        let response = try await request(peer, method: .GET, path: "/v1/catalogue", json: nil, fields: fields)
        if response.status == 304 { return nil }
        guard response.status == 200 else { throw Self.refusal(peer, status: response.status, body: response.body) }
        do { return try JSONCoding.decoder().decode(CatalogueDocument.self, from: response.body) } catch {
            throw TongbanError(.peerUnreachable, "peer \(peer.code) sent an unreadable catalogue: \(error)")
        }
    }

    /// Largest decoded answer accepted from a peer.
    static let maximumDecoded = 64 * 1024 * 1024

    /// Decodes through `ContentCoding`'s windowed inflater, which stops at the cap (compress-nio's own
    /// `maxSize` is not a hard one).
    static func decode(_ data: Data, _ coding: ContentCoding, peer: PeerEndpoint) throws(TongbanError) -> Data {
        do { return Data(try coding.decode(ByteBuffer(bytes: data), limit: maximumDecoded).readableBytesView) } catch {
            throw TongbanError(error.code, "peer \(peer.code)'s answer: \(error.message)")
        }
    }

    /// Digest, signature by a key of the peer's in the manifest, binding to our request, and the echoed request id.
    func verifyResponse(_ exchange: Exchange, peer: PeerEndpoint) throws(TongbanError) {
        func refuse(_ reason: String) -> TongbanError {
            TongbanError(.signatureRefused, "peer \(peer.code)'s answer refused: \(reason)")
        }
        guard let digest = exchange.response.field(ContentDigest.fieldName) else { throw refuse("no Content-Digest") }
        do {
            try ContentDigest.verify(digest, body: exchange.body)
            let required = TongbanProfile.responseComponents(bindingRequest: true)
            let (input, signature) = try (keys.answerVerifier() ?? verifier).inspect(exchange.response, required: required)
            let key: MessageVerificationKey
            do { key = try keys.answerKey(input.keyID ?? "", of: peer.code) } catch { throw SignatureError(.invalid, error.message) }
            try (keys.answerVerifier() ?? verifier).verify(input, signature: signature, message: exchange.response, request: exchange.request, key: key)
        } catch {
            throw refuse(String(describing: error))
        }
        guard exchange.response.field(TongbanProfile.requestIDField)?.lowercased() == exchange.requestID else {
            throw refuse("it answers another request id")
        }
    }

    /// A peer's refusal as this gateway's error: the peer's code is kept only when it is one of the table, so
    /// a peer can never choose a code, a metric label or a log key here; its text stays in the message.
    public static func refusal(_ peer: PeerEndpoint, status: Int, body: Data) -> TongbanError {
        if let problem = try? JSONCoding.decoder().decode(Problem.self, from: body) {
            let code = problem.knownCode ?? .peerRefused
            return TongbanError(code, "peer \(peer.code) refused (\(status) \(code == .peerRefused ? "with an unknown code" : code.rawValue)): "
                                + (problem.detail ?? problem.title))
        }
        return TongbanError(.peerUnreachable, "peer \(peer.code) answered \(status)")
    }
}
