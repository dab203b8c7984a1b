import Foundation
import Synchronization
import Testing
import TongbanClient
import TongbanCore
import TongbanTestKit

/// `kill -9` of the answering gateway at random moments while the asking gateway's local API loads it, then a restart,
/// round after round. After each: both audit chains verify; every answer the asking side received with 200 has its
/// inbound entry on the answering side, found by request id, with the same response signature — no exchange was
/// answered without an entry. `make test` runs a few rounds; `make crash` runs 50 (`TONGBAN_CRASH_ROUNDS`).
@Suite(.serialized) struct CrashConsistencyTests {
    static var rounds: Int { ProcessInfo.processInfo.environment["TONGBAN_CRASH_ROUNDS"].flatMap(Int.init) ?? 4 }

    final class Seen: Sendable {
        let running = Atomic<Bool>(true)
        let answers = Mutex((ok: [String](), failed: 0))
    }

    @Test func killNineAtRandomNeverLeavesAnAnswerUnaudited() async throws {
        // The asking side probes a crashed peer again after 0.2 s rather than 30 (its circuit breaker), so each round
        // can start as soon as 上海 is back.
        let f = try await ExchangeTests.Federation.start(prepare: { federation in
            let path = federation["11"].configPath
            let config = try String(contentsOfFile: path, encoding: .utf8)
                .replacingOccurrences(of: "peerClient:\n  timeoutSeconds: 3\n", with: "peerClient:\n  timeoutSeconds: 3\n  circuitOpenSeconds: 0.2\n")
            #expect(config.contains("circuitOpenSeconds"))
            try config.write(toFile: path, atomically: true, encoding: .utf8)
        })
        defer { f.federation.remove() }
        var shanghai = f.shanghai
        var totals = (served: 0, failed: 0)
        for round in 1...Self.rounds {
            // Each round starts on a working link (the asking side's circuit to 上海 closed again), so that the kill
            // lands among exchanges in flight.
            for _ in 0..<200 {
                if (try? await f.query(TestCatalogue.household, "medical-registration", [ExchangeTests.person]))?.status == 200 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            let seen = Seen()
            let load = (0..<4).map { _ in
                Task {
                    while seen.running.load(ordering: .relaxed) {
                        do {
                            let result = try await f.query(TestCatalogue.household, "medical-registration", [ExchangeTests.person])
                            seen.answers.withLock { if result.status == 200 { $0.ok.append(result.requestId) } else { $0.failed += 1 } }
                            if result.status != 200 { try? await Task.sleep(for: .milliseconds(20)) }
                        } catch {
                            seen.answers.withLock { $0.failed += 1 }
                            try? await Task.sleep(for: .milliseconds(20))
                        }
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 50...400)))
            #expect(await shanghai.stop(signal: SIGKILL) == 128 + SIGKILL)
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...100)))
            shanghai = try await RunningDaemon(f.federation["31"])
            try await Task.sleep(for: .milliseconds(100))
            seen.running.store(false, ordering: .relaxed)
            for task in load { await task.value }
            let answers = seen.answers.withLock { $0 }
            totals.served += answers.ok.count
            totals.failed += answers.failed

            let outbound = try await f.bj.get("/v1/audit?direction=out", as: [AuditEntry].self)
            let inbound = try await f.sh.get("/v1/audit?direction=in", as: [AuditEntry].self)
            let answeredSignatures = Dictionary(outbound.filter { $0.status == 200 }.map { ($0.requestId, $0.responseSignature) },
                                                uniquingKeysWith: { first, _ in first })
            let recorded = Dictionary(inbound.map { ($0.requestId, $0.responseSignature) }, uniquingKeysWith: { first, _ in first })
            for id in answers.ok {
                let signature = answeredSignatures[id]
                #expect(signature != nil, "round \(round): 北京 received 200 for \(id) but has no outbound entry")
                #expect(recorded[id] != nil && recorded[id] == signature,
                        "round \(round): 上海 answered \(id) with 200 without an inbound entry carrying that response signature")
            }
            #expect(try await f.sh.get("/v1/audit/verify", as: AuditVerification.self).ok, "round \(round): 上海's chain")
            #expect(try await f.bj.get("/v1/audit/verify", as: AuditVerification.self).ok, "round \(round): 北京's chain")
        }
        print("kill -9 × \(Self.rounds): \(totals.served) answers received with 200 under load, each with its inbound entry and response signature; "
              + "\(totals.failed) calls failed while 上海 was down")
        #expect(totals.served > 0)
        #expect(await shanghai.stop() == 0)
        #expect(await f.beijing.stop() == 0)
    }
}
