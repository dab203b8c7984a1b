import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Testing
import TongbanCore
import TongbanTestKit
@testable import TongbanGateway

/// The peer listener's admission limits: token buckets per province and a cap on requests in progress.
@Suite(.serialized) struct PeerLimitsTests {
    @Test func bucketAllowsTheBurstThenRefillsAtTheRate() {
        var bucket = TokenBucket(rate: 2, capacity: 3, now: 0)
        #expect(bucket.take(now: 0) == nil)
        #expect(bucket.take(now: 0) == nil)
        #expect(bucket.take(now: 0) == nil)
        #expect(bucket.take(now: 0) == 0.5)        // empty: one token in half a second at 2/s
        #expect(bucket.take(now: 0.5) == nil)      // refilled
        #expect(bucket.take(now: 100) == nil)      // a long pause refills only up to the burst
        #expect(bucket.tokens == 2)
    }

    @Test func decisionsPerProvinceAndForTheWholeListener() throws {
        let limits = PeerLimits(rate: 1, burst: 1, concurrent: 2)
        let shanghai = try ProvinceCode("31"), guangdong = try ProvinceCode("44")
        #expect(limits.admit(shanghai, now: 10) == .admit)
        guard case .refuse(.rateLimited, let retry, let detail) = limits.admit(shanghai, now: 10.2) else {
            Issue.record("a second request within the second was admitted"); return
        }
        #expect(retry == 1)
        #expect(detail.contains("31"))
        #expect(limits.admit(guangdong, now: 10.2) == .admit)  // another province's bucket
        #expect(limits.requestsInProgress == 2)
        guard case .refuse(.overloaded, 1, _) = limits.admit(shanghai, now: 20) else {
            Issue.record("a third request in progress was admitted"); return
        }
        limits.release()
        #expect(limits.admit(shanghai, now: 21) == .admit)
    }

    @Test func aPeerOverItsRateIsRefusedWithRetryAfterAndOthersAreServed() async throws {
        let federation = try TestFederation(provinces: ["11", "31", "44"], extraConfig: "limits:\n  peerRequestsPerSecond: 0.2\n  peerBurst: 8\n")
        defer { federation.remove() }
        let beijing = try await RunningDaemon(federation["11"])
        let shanghai = try await RunningDaemon(federation["31"])
        let guangdong = try await RunningDaemon(federation["44"])
        let client = try CraftingClient(tlsAs: federation["31"], signingKeyOf: federation["31"], target: federation["11"])
        let other = try CraftingClient(tlsAs: federation["44"], signingKeyOf: federation["44"], target: federation["11"])
        // 31's own daemon also calls 11 in the background (identity, catalogue), from the same bucket: ping until
        // the bucket of 8 is empty, which must happen within 9 pings.
        var served = 0
        var refusal: CraftingClient.Result?
        var otherStatus = 0
        do {
            for _ in 0..<9 {
                let result = try await client.ping()
                if result.status == 200 { served += 1; continue }
                refusal = result
                break
            }
            otherStatus = try await other.ping().status
        } catch {
            Issue.record(error)
        }
        try await client.http.shutdown()
        try await other.http.shutdown()
        #expect(served >= 4, "the burst allowed only \(served) pings")
        let refused = try #require(refusal, "no request was refused after \(served) pings")
        SignedExchangeTests.expectRefused(refused, 429, "tongban.rate.limited")
        #expect((Int(refused.headers.first(name: "Retry-After") ?? "") ?? 0) >= 1, "\(refused.headers)")
        #expect(otherStatus == 200, "another province was refused too")
        _ = (beijing, shanghai, guangdong)
    }

    /// With `concurrentPeerRequests: 1`, a request whose body is still arriving holds the only slot: another
    /// request meanwhile gets a signed 503 `tongban.overloaded` with `Retry-After: 1`. The stalled request is cut off by
    /// the idle timeout, and then the other is served.
    @Test func requestsBeyondTheConcurrencyLimitAreRefusedWithRetryAfter() async throws {
        let federation = try TestFederation(provinces: ["11", "31"], extraConfig: "limits:\n  concurrentPeerRequests: 1\n  idleTimeoutSeconds: 3\n")
        defer { federation.remove() }
        let beijing = try await RunningDaemon(federation["11"])
        let shanghai = try await RunningDaemon(federation["31"])  // 11 fetches 31's signing key from it
        let member = federation["31"]
        let client = try CraftingClient(tlsAs: member, signingKeyOf: member, target: federation["11"])
        // 31's own start-up calls to 11 may hold the single slot for a moment: wait until a ping is served.
        var warm = 0
        for _ in 0..<50 where warm != 200 {
            warm = try await client.ping().status
            if warm != 200 { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(warm == 200)
        // A client with 31's certificate sends a request head announcing 100 bytes of body, one byte, then waits.
        let slow = Process()
        slow.executableURL = URL(fileURLWithPath: "/bin/sh")
        slow.arguments = ["-c", #"( printf 'POST /v1/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{'; sleep 2 ) | "#
                          + "openssl s_client -quiet -connect 127.0.0.1:\(federation["11"].peerPort) -cert \(member.pki)/tls.crt "
                          + "-key \(member.pki)/tls.key -CAfile \(member.pki)/root.crt >/dev/null 2>&1"]
        try slow.run()
        try await Task.sleep(for: .seconds(1))  // the head is in, the body is not: the slot is taken

        do {
            let refused = try await client.ping()
            SignedExchangeTests.expectRefused(refused, 503, "tongban.overloaded")
            #expect(refused.headers.first(name: "Retry-After") == "1")
        } catch {
            Issue.record(error, "\(beijing.logText)")
        }
        // The stalled request is cut off by the idle timeout (3 s here), which frees its slot.
        try await Task.sleep(for: .seconds(3))
        slow.terminate()
        slow.waitUntilExit()
        // A new client: the idle timeout has closed this one's pooled connection too.
        let fresh = try CraftingClient(tlsAs: member, signingKeyOf: member, target: federation["11"])
        do {
            let again = try await fresh.ping()
            #expect(again.status == 200, "\(again.status) \(again.body)")
        } catch {
            Issue.record(error)
        }
        try await fresh.http.shutdown()
        try await client.http.shutdown()
        #expect(await shanghai.stop() == 0)
        #expect(await beijing.stop() == 0)
    }
}
