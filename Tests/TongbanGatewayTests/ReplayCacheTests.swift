import Testing
import TongbanCore
@testable import TongbanGateway

@Suite struct ReplayCacheTests {
    @Test func refusesAnIdSeenWithinTheWindowAndForgetsItAfter() async throws {
        let cache = ReplayCache(window: 300)
        let beijing = try ProvinceCode("11"), shanghai = try ProvinceCode("31")
        #expect(await cache.record("a", from: shanghai, now: 1000))
        #expect(await !cache.record("a", from: shanghai, now: 1200))  // replay
        #expect(await cache.record("a", from: beijing, now: 1200))    // another caller's id space
        #expect(await cache.record("a", from: shanghai, now: 1301))   // the first left the window
    }

    @Test func memoryFollowsTheWindowNotTheHistory() async throws {
        let cache = ReplayCache(window: 10)
        let caller = try ProvinceCode("31")
        for second in 0..<100 {
            for index in 0..<100 { #expect(await cache.record("\(second)-\(index)", from: caller, now: Double(second))) }
        }
        // Only the last ~11 seconds of ids are kept.
        #expect(await cache.count <= 1100)
        #expect(await cache.count >= 1000)
    }
}
