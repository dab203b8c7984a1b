import Testing
@testable import TongbanCore

@Suite struct CPUAffinityTests {
    @Test(arguments: [("0", 1), ("0-1", 2), ("0-3,8,10-11", 7), (" 2 ", nil), ("", nil), ("3-1", nil), ("a", nil)] as [(String, Int?)])
    func countsKernelCPULists(_ list: String, _ expected: Int?) {
        #expect(CPUAffinity.count(list: list) == expected)
    }

    @Test func readsThisProcess() {
        #expect((CPUAffinity.allowedCount ?? 0) >= 1)
    }
}
