import Testing
@testable import TongbanCore

@Suite struct MallocArenasTests {
    @Test func theArenaLimitFollowsTheEventLoopsAndLeavesAnOperatorsSettingAlone() {
        #expect(MallocArenas.limit(eventLoops: 1) == 2)
        #expect(MallocArenas.limit(eventLoops: 16) == 16)
        #expect(MallocArenas.apply(4, environment: ["MALLOC_ARENA_MAX": "1"]) == false)
        #expect(MallocArenas.apply(64, environment: [:]) == true)
    }
}
