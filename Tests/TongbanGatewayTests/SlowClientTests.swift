import AsyncHTTPClient
import Foundation
import Testing
import TongbanTestKit

/// Slow-loris: a connection that starts a TLS handshake or a request and then goes silent is closed after
/// `limits.idleTimeoutSeconds`, on the peer listener and on the local one.
@Suite(.serialized) struct SlowClientTests {
    /// Connects, sends `bytes`, then waits (up to `patience`) for the server to close; returns how long it took,
    /// or nil when the connection was still open.
    static func secondsUntilClosed(port: Int, sending bytes: [UInt8], patience: Double) -> Double? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { return nil }
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        let start = Date()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date().timeIntervalSince(start) < patience {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) > 0 else { continue }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { return Date().timeIntervalSince(start) }  // closed (or reset)
        }
        return nil
    }

    @Test func silentConnectionsAreClosedAfterTheIdleTimeout() async throws {
        let federation = try TestFederation(provinces: ["11", "31"], extraConfig: "limits:\n  idleTimeoutSeconds: 2\n")
        defer { federation.remove() }
        let beijing = try await RunningDaemon(federation["11"])
        // The first five bytes of a TLS record (a ClientHello that never comes), then silence.
        let handshake = Self.secondsUntilClosed(port: federation["11"].peerPort, sending: [0x16, 0x03, 0x01, 0x02, 0x00], patience: 12)
        #expect(handshake != nil, "a half-sent TLS handshake kept the connection open for 12 s")
        #expect((handshake ?? 0) >= 1.5, "closed after \(handshake ?? 0) s, before the timeout")
        // Half a request head on the local listener, then silence.
        let head = Self.secondsUntilClosed(port: federation["11"].localPort, sending: Array("GET /healthz HTTP/1.1\r\nHost: x\r\n".utf8), patience: 12)
        #expect(head != nil, "a half-sent request head kept the connection open for 12 s")
        #expect((head ?? 0) >= 1.5)
        // A client that completes its request is still served.
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let served = try? await TLSClients.get(http, federation["11"].localURL + "/healthz")
        try await http.shutdown()
        #expect(served?.0 == 200)
        #expect(await beijing.stop() == 0)
    }
}
