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
        guard case .refuse(429, "tongban.rate.limited", let retry, let detail) = limits.admit(shanghai, now: 10.2) else {
            Issue.record("a second request within the second was admitted"); return
        }
        #expect(retry == 1)
        #expect(detail.contains("31"))
        #expect(limits.admit(guangdong, now: 10.2) == .admit)  // another province's bucket
        #expect(limits.requestsInProgress == 2)
        guard case .refuse(503, "tongban.overloaded", 1, _) = limits.admit(shanghai, now: 20) else {
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
}
