import Foundation
import Testing
import TongbanCore
@testable import TongbanGateway

@Suite struct ReplayCacheTests {
    @Test func refusesAnIdSeenWithinTheWindowAndForgetsItAfter() throws {
        let cache = ReplayCache(window: 300)
        let beijing = try ProvinceCode("11"), shanghai = try ProvinceCode("31")
        let id = UUID()
        #expect(cache.record(id, from: shanghai, now: 1000))
        #expect(!cache.record(id, from: shanghai, now: 1200))  // replay
        #expect(cache.record(id, from: beijing, now: 1200))    // another caller's id space
        #expect(cache.record(UUID(), from: shanghai, now: 1200))
        #expect(cache.record(id, from: shanghai, now: 1301))   // the first left the window
    }

    @Test func anIdIsTheSameWhateverItsLetterCase() throws {
        let cache = ReplayCache(window: 300)
        let caller = try ProvinceCode("31")
        let text = "0f8fad5b-d9cb-469f-a165-70867728950e"
        #expect(cache.record(try #require(UUID(uuidString: text)), from: caller, now: 1000))
        #expect(!cache.record(try #require(UUID(uuidString: text.uppercased())), from: caller, now: 1001))
    }

    @Test func memoryFollowsTheWindowNotTheHistory() throws {
        let cache = ReplayCache(window: 10)
        let caller = try ProvinceCode("31")
        for second in 0..<100 {
            for _ in 0..<100 { #expect(cache.record(UUID(), from: caller, now: Double(second))) }
        }
        // Only the last ~11 seconds of ids are kept.
        #expect(cache.count <= 1100)
        #expect(cache.count >= 1000)
    }

    /// A manifest that widens the signature window widens the cache at once: an id is not forgotten while a
    /// signature carrying it would still be accepted. A narrower window never drops ids held.
    @Test func aWiderWindowIsAppliedAtOnceANarrowerOneNever() throws {
        let cache = ReplayCache(window: 10)
        let id = UUID(), province = try ProvinceCode("31")
        #expect(cache.record(id, from: province, now: 1000))
        cache.widen(to: 100)
        #expect(!cache.record(id, from: province, now: 1050), "forgotten after 50 s under a 100 s window")
        cache.widen(to: 5)
        #expect(cache.window == 100)
        #expect(cache.record(id, from: province, now: 1101), "kept beyond the window")
    }
}
