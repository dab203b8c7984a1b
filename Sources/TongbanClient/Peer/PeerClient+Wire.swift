import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import TongbanCore
import TongbanSigning

extension PeerClient {
    /// One signed call as it crossed the wire, before its answer is verified.
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

    /// One call through `peer`'s circuit breaker: refused at once while the circuit is open; GET (idempotent)
    /// is tried again, up to `resilience.retries` times with a doubling pause, when no connection or answer came —
    /// all within one `timeoutSeconds`, so a caller waits no longer for a GET than for a POST. A POST is sent
    /// once. The call counts once towards the circuit, whatever its attempts.
    func send(_ peer: PeerEndpoint, method: HTTPMethod, path: String, body: Data?,
              fields extra: [(name: String, value: String)] = []) async throws(TongbanError) -> Exchange {
        let (admitted, retryAt) = circuits.admit(peer.code)
        guard admitted else {
            let seconds = retryAt.map { max(0, Double(($0 - .now).components.seconds)) } ?? resilience.circuitOpenSeconds
            throw TongbanError(.peerCircuitOpen, "peer \(peer.code) failed \(resilience.circuitFailureThreshold) calls in a row; "
                               + "calls are suspended for \(Int(seconds.rounded(.up))) s before one is tried again")
        }
        let attempts = method == .GET ? 1 + max(0, resilience.retries) : 1
        let deadline = NIODeadline.now() + timeout
        var pause: TimeAmount = .milliseconds(100)
        var round = 1
        while true {
            do {
                let exchange = try await attempt(peer, method: method, path: path, body: body, fields: extra, deadline: deadline)
                note(peer, circuits.record(peer.code, .answered))
                return exchange
            } catch {
                // Only a missing answer counts against the peer; our own failures (a bad URL, signing) do not.
                let transport = error.code == .peerUnreachable || error.code == .peerTimeout
                let outcome: CircuitBreaker.Outcome = Task.isCancelled || !transport ? .abandoned : .failed
                guard outcome == .failed, round < attempts, error.code == .peerUnreachable, NIODeadline.now() + pause < deadline else {
                    note(peer, circuits.record(peer.code, outcome))
                    throw error
                }
                try? await Task.sleep(for: .nanoseconds(pause.nanoseconds))
                pause = pause * 2
                round += 1
            }
        }
    }

    /// Logs a circuit's change of state.
    private func note(_ peer: PeerEndpoint, _ change: (before: CircuitBreaker.State, after: CircuitBreaker.State)) {
        guard change.before != change.after else { return }
        let level: Logger.Level = change.after == .open ? .warning : .notice
        logger?.log(level: level, "peer circuit \(change.after.rawValue)", metadata: [
            "tongban.peer": .string(peer.code.rawValue), "tongban.circuit": .string(change.after.rawValue)])
    }

    /// One attempt of a signed call, with a fresh request id.
    func attempt(_ peer: PeerEndpoint, method: HTTPMethod, path: String, body: Data?,
                 fields extra: [(name: String, value: String)] = [], deadline: NIODeadline) async throws(TongbanError) -> Exchange {
        let (http, base, _) = try route(to: peer)
        let signed = try sign(peer, method: method, path: path, body: body, fields: extra)
        let view = signed.view, requestID = signed.requestID
        var request = HTTPClientRequest(url: base + path)
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
        } catch let error as NIOSSLExtraError where error == .failedToValidateHostname {
            // The server's certificate does not carry the province's host name: another province's gateway (or
            // someone holding its certificate) answers at that address. Nothing of the request was sent.
            throw TongbanError(.identityMismatch, "the TLS certificate at \(peer.url) does not speak for province \(peer.code) "
                               + "(no DNS name \(ProvinceHostName.make(peer.code))); nothing was sent")
        } catch let error where Self.isCertificateRefusal(error) {
            // The peer's handshake turned our certificate down: its manifest does not admit this province (suspended,
            // or the TLS key revoked or unpinned) — a refusal, not an outage, so the circuit does not count it.
            throw TongbanError(.peerRefused, "province \(peer.code) refused this gateway's TLS certificate in the handshake (is this province "
                               + "suspended, or its TLS key revoked or not pinned, in the manifest the peer runs on?); nothing was sent")
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw TongbanError(.peerTimeout, "peer \(peer.code) at \(peer.url) did not answer within \(timeout.nanoseconds / 1_000_000) ms")
        } catch {
            throw TongbanError(.peerUnreachable, "province \(peer.code) at \(peer.url): \(Self.describe(error))")
        }
    }

    /// A short, readable description of a connection failure: "connection refused", not the library's value.
    static func describe(_ error: any Error) -> String {
        if Self.isRefused(error) { return "connection refused" }
        if let io = error as? IOError { return io.description }
        if let connection = error as? NIOConnectionError {
            if let dns = connection.dnsAError ?? connection.dnsAAAAError { return "cannot resolve \(connection.host): \(dns)" }
            return connection.connectionErrors.first.map { describe($0.error) } ?? "no connection to \(connection.host):\(connection.port)"
        }
        if let ssl = error as? NIOSSLError { return "TLS: \(ssl)" }
        if let client = error as? HTTPClientError { return String(describing: client) }
        return String(describing: error)
    }

    /// Whether the server's TLS alert says it refused our certificate (`certificate_unknown`, `bad_certificate`).
    /// (NIOSSL reports it as a `NIOSSLError` or a `BoringSSLError`, depending on where in the handshake it came.)
    static func isCertificateRefusal(_ error: any Error) -> Bool {
        let text = String(describing: error)
        return text.contains("ALERT_CERTIFICATE_UNKNOWN") || text.contains("ALERT_BAD_CERTIFICATE")
    }

    /// Whether the kernel refused the connection (nothing listens on the port): ECONNREFUSED on every address.
    static func isRefused(_ error: any Error) -> Bool {
        if let io = error as? IOError { return io.errnoCode == ECONNREFUSED }
        if let connection = error as? NIOConnectionError {
            return !connection.connectionErrors.isEmpty && connection.connectionErrors.allSatisfy { isRefused($0.error) }
        }
        return false
    }
}
