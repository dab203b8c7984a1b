import Testing
import TongbanClient

/// The circuit breaker as a value: closed → open after repeated failures → half-open probe → closed or open.
@Suite struct CircuitBreakerTests {
    @Test func opensAfterTheThresholdProbesOnceAndClosesOnSuccess() {
        var breaker = CircuitBreaker(threshold: 3, openDuration: .seconds(10))
        let t0 = ContinuousClock.now
        for _ in 0..<2 {
            let admitted1 = breaker.admit(now: t0)
            #expect(admitted1)
            breaker.record(.failed, now: t0)
        }
        #expect(breaker.state == .closed)
        let admitted2 = breaker.admit(now: t0)
        #expect(admitted2)
        breaker.record(.failed, now: t0)
        #expect(breaker.state == .open)
        let admitted3 = breaker.admit(now: t0 + .seconds(9))
        #expect(!admitted3)
        #expect(breaker.retryAt() == t0 + .seconds(10))
        // After the open period one probe goes through; a second caller waits for its outcome.
        let admitted4 = breaker.admit(now: t0 + .seconds(10))
        #expect(admitted4)
        #expect(breaker.state == .halfOpen)
        let admitted5 = breaker.admit(now: t0 + .seconds(10))
        #expect(!admitted5)
        breaker.record(.answered, now: t0 + .seconds(11))
        #expect(breaker.state == .closed && breaker.consecutiveFailures == 0)
    }

    @Test func aFailedProbeOpensAgainAndAnAbandonedOneFreesTheSlot() {
        var breaker = CircuitBreaker(threshold: 1, openDuration: .seconds(5))
        let t0 = ContinuousClock.now
        breaker.record(.failed, now: t0)
        #expect(breaker.state == .open)
        let admitted6 = breaker.admit(now: t0 + .seconds(5))
        #expect(admitted6)
        breaker.record(.abandoned, now: t0 + .seconds(5))
        #expect(breaker.state == .halfOpen)
        let admitted7 = breaker.admit(now: t0 + .seconds(5))
        #expect(admitted7)
        breaker.record(.failed, now: t0 + .seconds(6))
        #expect(breaker.state == .open)
        let admitted8 = breaker.admit(now: t0 + .seconds(10))
        #expect(!admitted8)
        let admitted9 = breaker.admit(now: t0 + .seconds(11))
        #expect(admitted9)
    }

    @Test func answersOfAnyStatusResetTheCount() {
        var breaker = CircuitBreaker(threshold: 2, openDuration: .seconds(5))
        let t0 = ContinuousClock.now
        breaker.record(.failed, now: t0)
        breaker.record(.answered, now: t0)
        breaker.record(.failed, now: t0)
        #expect(breaker.state == .closed && breaker.consecutiveFailures == 1)
    }
}
