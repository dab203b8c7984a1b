import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import SwiftASN1
import TongbanConfig
import TongbanCore
import TongbanPKI
import TongbanSigning
import X509

/// The gateway's outbound side: calls peers' peer listeners over mutual TLS on the federation PKI, signs
/// every request (RFC 9421, Tongban profile) and refuses any answer whose digest, signature or binding to
/// the request does not verify.
public final class PeerClient: Sendable {
    let http: HTTPClient
    let credentials: ClientCredentials
    let trust: FederationTrust
    let timeout: TimeAmount
    let signer: MessageSigner
    let verifier: MessageVerifier
    let identities = IdentityCache()
    let resilience: PeerResilience
    /// Every peer's circuit breaker; shared with the client a reload puts in this one's place.
    public let circuits: PeerCircuits
    let logger: Logger?

    /// `connectionsPerPeer` bounds the keep-alive connections kept to each peer (the benchmark raises it).
    public init(credentials: ClientCredentials, trust: FederationTrust, signer: MessageSigner, resilience: PeerResilience,
                circuits: PeerCircuits? = nil, signatureWindowSeconds: Int = 300, connectionsPerPeer: Int = 8, logger: Logger? = nil) {
        self.credentials = credentials
        self.trust = trust
        self.signer = signer
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
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// `GET /v1/identity` of `peer`, refusing an answer that does not name the expected province.
    public func identity(of peer: GatewayConfiguration.Peer) async throws(TongbanError) -> IdentityDocument {
        try await verifiedIdentity(of: peer).document
    }

    /// Fetches `peer`'s identity, checks its signing certificate (federation root, validity, signing usage,
    /// province) and that the response is signed by that very certificate; caches the key.
    public func verifiedIdentity(of peer: GatewayConfiguration.Peer) async throws(TongbanError) -> VerifiedIdentity {
        let exchange = try await send(peer, method: .GET, path: "/v1/identity", body: nil)
        guard exchange.status == 200 else { throw Self.refusal(peer, status: exchange.status, body: exchange.body) }
        let document: IdentityDocument
        do { document = try JSONCoding.decoder().decode(IdentityDocument.self, from: exchange.body) } catch {
            throw TongbanError(.peerUnreachable, "peer \(peer.code) answered /v1/identity with an unreadable document")
        }
        guard document.province == peer.code.rawValue else {
            throw TongbanError(.identityMismatch, "peer at \(peer.url) says it is province \(document.province), expected \(peer.code)")
        }
        let certificate: Certificate
        do { certificate = try Certificate(pemEncoded: document.signingCertificate) } catch {
            throw TongbanError(.pkiInvalid, "peer \(peer.code) published an unreadable signing certificate")
        }
        let province = try await trust.verify(certificate, role: .signing)
        guard province == peer.code else {
            throw TongbanError(.identityMismatch, "peer \(peer.code)'s signing certificate names province \(province)")
        }
        guard let key = MessageVerificationKey(certificate) else {
            throw TongbanError(.pkiInvalid, "peer \(peer.code)'s signing key is neither P-256 nor Ed25519")
        }
        let identity = VerifiedIdentity(document: document, certificate: certificate, key: key, keyID: certificate.sha256Fingerprint)
        try verifyResponse(exchange, peer: peer, key: identity)
        await identities.store(identity, for: peer.code)
        return identity
    }

    /// Every peer identity verified so far (their signing certificates), by province.
    public func knownIdentities() async -> [ProvinceCode: VerifiedIdentity] { await identities.all() }

    /// Sends a signed request to `peer` and returns its verified answer (any status: refusals are signed too).
    public func request(_ peer: GatewayConfiguration.Peer, method: HTTPMethod, path: String, json body: Data?,
                        fields extra: [(name: String, value: String)] = []) async throws(TongbanError) -> PeerResponse {
        var exchange = try await send(peer, method: method, path: path, body: body, fields: extra)
        var identity = await identities.identity(for: peer.code)
        if identity == nil || identity?.keyID != exchange.responseKeyID {
            identity = try await verifiedIdentity(of: peer)
            if identity?.keyID != exchange.responseKeyID {
                // The peer may have rotated its key between the two calls: one more attempt with fresh state.
                exchange = try await send(peer, method: method, path: path, body: body, fields: extra)
            }
        }
        try verifyResponse(exchange, peer: peer, key: identity!)
        let body: Data
        switch exchange.response.field("Content-Encoding")?.lowercased() {
        case nil, "identity": body = exchange.body
        case "gzip": body = try Self.decode(exchange.body, .gzip, peer: peer)
        case "deflate": body = try Self.decode(exchange.body, .deflate, peer: peer)
        case let other?: throw TongbanError("tongban.encoding.unsupported", "peer \(peer.code) answered in unsupported coding \(other)")
        }
        return PeerResponse(status: exchange.status, body: body, wireBytes: exchange.body.count, requestID: exchange.requestID,
                            requestSignature: exchange.requestSignatureFields, responseSignature: exchange.responseSignatureFields)
    }

    /// Probes `peer`: the province and expiry of its TLS certificate, its identity and signing key, the round-trip time.
    public func status(of peer: GatewayConfiguration.Peer) async -> PeerStatus {
        var status = await probe(peer)
        let circuit = circuits.snapshot(peer.code)
        status.circuit = circuit.state.rawValue
        status.consecutiveFailures = circuit.consecutiveFailures
        return status
    }

    func probe(_ peer: GatewayConfiguration.Peer) async -> PeerStatus {
        var status = PeerStatus(code: peer.code.rawValue, name: peer.name, url: peer.url, reachable: false)
        do {
            let certificate = try await tlsCertificate(of: peer)
            status.certificateProvince = certificate.federationProvince?.rawValue
            status.certificateNotAfter = certificate.notValidAfter
            guard certificate.federationProvince == peer.code else {
                status.error = "TLS certificate at \(peer.url) names province \(status.certificateProvince ?? "none"), expected \(peer.code)"
                return status
            }
            let identity = try await verifiedIdentity(of: peer)
            // The round trip is a full signed exchange: our request verified there, its answer verified here.
            let start = ContinuousClock.now
            let ping = try await request(peer, method: .POST, path: "/v1/ping", json: Data("{}".utf8))
            let elapsed = ContinuousClock.now - start
            guard ping.status == 200 else { throw Self.refusal(peer, status: ping.status, body: ping.body) }
            status.roundTripMilliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            status.identityName = identity.document.name
            status.version = identity.document.version
            status.signingKeyId = identity.keyID
            status.signingAlgorithm = identity.key.algorithm.rawValue
            status.reachable = true
        } catch let error as TongbanError {
            status.error = error.message
        } catch {
            status.error = Self.describe(error)
        }
        return status
    }

    /// The certificate `peer` presents on its peer listener, checked against the federation roots.
    public func tlsCertificate(of peer: GatewayConfiguration.Peer) async throws -> Certificate {
        guard let url = URL(string: peer.url), let host = url.host else {
            throw TongbanError(.configInvalid, "peer \(peer.code) has an invalid URL \(peer.url)")
        }
        do {
            let certificate = try await TLSProbe.certificate(host: host, port: url.port ?? 443, credentials: credentials,
                                                             timeout: timeout, group: MultiThreadedEventLoopGroup.singleton)
            _ = try await trust.verify(certificate, role: .tlsServer)
            return certificate
        } catch let error as TongbanError {
            throw error
        } catch {
            throw TongbanError(.peerUnreachable, "peer \(peer.code) at \(peer.url): \(Self.describe(error))")
        }
    }

    // MARK: - Wire

    struct Exchange {
        let status: Int
        let body: Data
        let requestID: String
        let request: HTTPMessageView
        let response: HTTPMessageView
        var requestSignatureFields: String { (request.field(SignatureFields.inputName) ?? "") + " " + (request.field(SignatureFields.signatureName) ?? "") }
        var responseSignatureFields: String { (response.field(SignatureFields.inputName) ?? "") + " " + (response.field(SignatureFields.signatureName) ?? "") }
        var responseKeyID: String? { (try? SignatureFields.read(label: TongbanProfile.label, from: response))?.0.keyID }
    }

    /// The peer's directory, or nil when it is unchanged since `version` (304).
    public func catalogue(of peer: GatewayConfiguration.Peer, ifNoneMatch version: String?) async throws(TongbanError) -> CatalogueDocument? {
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
    static func decode(_ data: Data, _ coding: ContentCoding, peer: GatewayConfiguration.Peer) throws(TongbanError) -> Data {
        do { return Data(try coding.decode(ByteBuffer(bytes: data), limit: maximumDecoded).readableBytesView) } catch {
            throw TongbanError(error.code, "peer \(peer.code)'s answer: \(error.message)")
        }
    }

    /// One call through `peer`'s circuit breaker: refused at once while the circuit is open; GET (idempotent)
    /// is tried again, up to `resilience.retries` times with a doubling pause, when no answer came — all within
    /// one `timeoutSeconds`, so a caller waits no longer for a GET than for a POST.
    func send(_ peer: GatewayConfiguration.Peer, method: HTTPMethod, path: String, body: Data?,
              fields extra: [(name: String, value: String)] = []) async throws(TongbanError) -> Exchange {
        let attempts = method == .GET ? 1 + max(0, resilience.retries) : 1
        let deadline = NIODeadline.now() + timeout
        var pause: TimeAmount = .milliseconds(100)
        for round in 1...attempts {
            let (admitted, retryAt) = circuits.admit(peer.code)
            guard admitted else {
                let seconds = retryAt.map { max(0, Double(($0 - .now).components.seconds)) } ?? resilience.circuitOpenSeconds
                throw TongbanError(.peerCircuitOpen, "peer \(peer.code) failed \(resilience.circuitFailureThreshold) calls in a row; "
                                   + "calls are suspended for \(Int(seconds.rounded(.up))) s before one is tried again")
            }
            do {
                let exchange = try await attempt(peer, method: method, path: path, body: body, fields: extra, deadline: deadline)
                note(peer, circuits.record(peer.code, .answered))
                return exchange
            } catch {
                // Only a missing answer counts against the peer; our own failures (a bad URL, signing) do not.
                let transport = error.code == .peerUnreachable || error.code == .peerTimeout
                let outcome: CircuitBreaker.Outcome = Task.isCancelled || !transport ? .abandoned : .failed
                note(peer, circuits.record(peer.code, outcome))
                guard outcome == .failed, round < attempts, error.code == .peerUnreachable, NIODeadline.now() + pause < deadline else { throw error }
                try? await Task.sleep(for: .nanoseconds(pause.nanoseconds))
                pause = pause * 2
            }
        }
        throw TongbanError(.internalError, "unreachable")
    }

    /// Logs a circuit's change of state.
    private func note(_ peer: GatewayConfiguration.Peer, _ change: (before: CircuitBreaker.State, after: CircuitBreaker.State)) {
        guard change.before != change.after else { return }
        let level: Logger.Level = change.after == .open ? .warning : .notice
        logger?.log(level: level, "peer circuit \(change.after.rawValue)", metadata: [
            "tongban.peer": .string(peer.code.rawValue), "tongban.circuit": .string(change.after.rawValue)])
    }

    /// One attempt of a signed call, with a fresh request id.
    func attempt(_ peer: GatewayConfiguration.Peer, method: HTTPMethod, path: String, body: Data?,
                 fields extra: [(name: String, value: String)] = [], deadline: NIODeadline) async throws(TongbanError) -> Exchange {
        guard let url = URL(string: peer.url + path), let host = url.host else {
            throw TongbanError(.configInvalid, "peer \(peer.code) has an invalid URL \(peer.url)")
        }
        let authority = url.port.map { "\(host):\($0)" } ?? host
        let requestID = UUIDText.lowercased(UUIDText.timeOrdered())
        var fields: [(name: String, value: String)] = [(TongbanProfile.requestIDField, requestID), ("Accept", "application/json")] + extra
        if let body {
            fields.append(("Content-Type", "application/json"))
            fields.append((ContentDigest.fieldName, ContentDigest.field(for: body)))
        }
        var view = HTTPMessageView.request(method: method.rawValue, scheme: "https", authority: authority, target: path, fields: fields)
        do {
            let signed = try signer.sign(view, covering: TongbanProfile.requestComponents(hasBody: body != nil))
            view.fields += [(SignatureFields.inputName, signed.input), (SignatureFields.signatureName, signed.signature)]
        } catch {
            throw TongbanError(.internalError, "cannot sign the request to \(peer.code): \(error)")
        }
        var request = HTTPClientRequest(url: peer.url + path)
        request.method = method
        for field in view.fields { request.headers.add(name: field.name, value: field.value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await http.execute(request, deadline: deadline)
            let collected = try await response.body.collect(upTo: 64 * 1024 * 1024)
            let responseView = HTTPMessageView.response(status: Int(response.status.code),
                                                        fields: response.headers.map { (name: $0.name, value: $0.value) })
            return Exchange(status: Int(response.status.code), body: Data(collected.readableBytesView), requestID: requestID,
                            request: view, response: responseView)
        } catch let error as HTTPClientError where error == .getConnectionFromPoolTimeout {
            // Every connection to this peer was busy for the whole connect timeout: this gateway's own queue is
            // full, which says nothing about the peer's health (the circuit breaker does not count it).
            throw TongbanError(.peerBusy, "no connection to peer \(peer.code) became free within \(resilience.connectTimeoutSeconds) s; "
                               + "too many calls to it are in progress")
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw TongbanError(.peerTimeout, "peer \(peer.code) at \(peer.url) did not answer within \(timeout.nanoseconds / 1_000_000) ms")
        } catch {
            throw TongbanError(.peerUnreachable, "peer \(peer.code) at \(peer.url): \(Self.describe(error))")
        }
    }

    /// Digest, signature by the peer's key, binding to our request, and the echoed request id.
    func verifyResponse(_ exchange: Exchange, peer: GatewayConfiguration.Peer, key identity: VerifiedIdentity) throws(TongbanError) {
        func refuse(_ reason: String) -> TongbanError {
            TongbanError(.signatureRefused, "peer \(peer.code)'s answer refused: \(reason)")
        }
        guard let digest = exchange.response.field(ContentDigest.fieldName) else { throw refuse("no Content-Digest") }
        do {
            try ContentDigest.verify(digest, body: exchange.body)
            let required = TongbanProfile.responseComponents(bindingRequest: true)
            let (input, signature) = try verifier.inspect(exchange.response, required: required)
            guard input.keyID == identity.keyID else { throw SignatureError(.invalid, "signed with key \(input.keyID ?? "none"), not \(peer.code)'s") }
            try verifier.verify(input, signature: signature, message: exchange.response, request: exchange.request, key: identity.key)
        } catch {
            throw refuse(String(describing: error))
        }
        guard exchange.response.field(TongbanProfile.requestIDField)?.lowercased() == exchange.requestID else {
            throw refuse("it answers another request id")
        }
    }

    static func refusal(_ peer: GatewayConfiguration.Peer, status: Int, body: Data) -> TongbanError {
        if let problem = try? JSONCoding.decoder().decode(Problem.self, from: body) {
            return TongbanError(.init(rawValue: problem.code), "peer \(peer.code) refused (\(status)): \(problem.detail ?? problem.title)")
        }
        return TongbanError(.peerUnreachable, "peer \(peer.code) answered \(status)")
    }

    /// A short, readable description of a connection failure.
    static func describe(_ error: any Error) -> String {
        if let ssl = error as? NIOSSLError { return "TLS: \(ssl)" }
        if let io = error as? IOError { return io.description }
        if let client = error as? HTTPClientError { return String(describing: client) }
        return String(describing: error)
    }
}
