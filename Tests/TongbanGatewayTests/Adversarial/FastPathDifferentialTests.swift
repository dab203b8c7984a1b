import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import Synchronization
import Testing
import TongbanClient
import TongbanCore
import TongbanTestKit

/// The peer fast path against the general path (issue 29, item 5): two federations alike in everything but
/// `fastPath.enabled`, each with a real gateway answering over mutual TLS, are sent the same generated requests —
/// the adversarial generator's cases, one seed, case by case (signed with each federation's own keys for its own
/// gateway's address) — and must agree on every one: the status, the problem code, whether the answer is signed,
/// and for an accepted answer its body byte for byte. The fast path serves plain queries only and hands anything
/// else to the general path, so a disagreement means it served what the general path refuses, or answered
/// differently.
///
/// `make test` runs 2,000 cases; `make differential` 100,000 (`TONGBAN_DIFFERENTIAL_CASES`). The seed is printed;
/// `TONGBAN_DIFFERENTIAL_SEED` replays a run.
@Suite(.serialized) struct FastPathDifferentialTests {
    static let environment = ProcessInfo.processInfo.environment
    static var cases: Int { environment["TONGBAN_DIFFERENTIAL_CASES"].flatMap(Int.init) ?? 2_000 }
    static var seed: UInt64 { environment["TONGBAN_DIFFERENTIAL_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64(Int64.max)) }

    /// One side of the comparison: a federation, its answering daemon and the runner that sends it cases.
    struct Side {
        let federation: TestFederation
        let daemon: RunningDaemon
        let runner: HostileRunner
        let answering: TestFederation.Member
    }

    static func side(fastPath: Bool, seed: UInt64) async throws -> Side {
        let hash = SHA256.hash(data: Data(AdversarialTests.token.utf8)).map { String(format: "%02x", $0) }.joined()
        let config = "departments:\n  - code: \"11010500\"\n    name: 朝阳区公安分局\n    tokenSHA256: \(hash)\n"
            + "limits:\n  peerRequestsPerSecond: 1000000\n  peerBurst: 1000000\n  concurrentPeerRequests: 100000\n"
            + "fastPath:\n  enabled: \(fastPath)\n"
        let federation = try TestFederation(provinces: ["11", "31"], catalogue: TestCatalogue.exchangeYAML(), extraConfig: config)
        let (caller, answering) = (federation["11"], federation["31"])
        let daemon = try await RunningDaemon(answering)
        try await AdversarialTests.importPerson(into: answering)
        let runner = try AdversarialTests.runner(federation: federation, caller: caller, answering: answering, seed: seed)
        return Side(federation: federation, daemon: daemon, runner: runner, answering: answering)
    }

    /// What must agree: the outcome (a closed connection's reason is the transport's, not a decision), and an accepted
    /// query's answer — its records, fields and values — with the times the two stores differ in (when each imported
    /// the record) left out. Other accepted answers (a catalogue, the manifest) come from the general path on both
    /// sides and differ between the two federations, so only their status is compared.
    static func comparable(_ outcome: HostileOutcome, _ reply: RawConnection.Reply) -> String {
        switch outcome {
        case .closed: return "closed"
        case .accepted(let status):
            guard case .response(let response) = reply else { return "accepted \(status)" }
            var body = response.body
            if response.field("Content-Encoding")?.lowercased() == "gzip",
               let decoded = try? ContentCoding.gzip.decode(ByteBuffer(bytes: body), limit: 1 << 24) {
                body = Array(decoded.readableBytesView)
            }
            guard let value = try? JSONValue.parse(String(decoding: body, as: UTF8.self)), value["records"] != nil else {
                return "accepted \(status)"
            }
            return "accepted \(status) " + timeless(value).canonicalText
        default: return "\(outcome)"
        }
    }

    /// `value` with every ISO 8601 time replaced by "T".
    static func timeless(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members): return .object(members.mapValues(timeless))
        case .array(let items): return .array(items.map(timeless))
        case .string(let text) where text.count >= 20 && text.dropFirst(10).first == "T" && text.hasSuffix("Z"): return .string("T")
        default: return value
        }
    }

    @Test func fastAndGeneralPathsAgreeOnEveryCase() async throws {
        let (count, seed) = (Self.cases, Self.seed)
        let fast = try await Self.side(fastPath: true, seed: seed)
        defer { fast.federation.remove() }
        let general = try await Self.side(fastPath: false, seed: seed)
        defer { general.federation.remove() }
        print("differential: seed \(seed) (TONGBAN_DIFFERENTIAL_SEED=\(seed) replays this run), \(count) cases")

        let workers = 4
        let disagreements = DifferentialLog()
        let clock = ContinuousClock(), started = clock.now
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var fastConnections: [HostileTarget: RawConnection] = [:]
                    var generalConnections: [HostileTarget: RawConnection] = [:]
                    for index in stride(from: worker, to: count, by: workers) {
                        let pairs = zip(fast.runner.generator.cases(at: index), general.runner.generator.cases(at: index))
                        for (fastCase, generalCase) in pairs {
                            let (fastOutcome, fastReply) = await fast.runner.send(fastCase, &fastConnections)
                            let (generalOutcome, generalReply) = await general.runner.send(generalCase, &generalConnections)
                            let (a, b) = (Self.comparable(fastOutcome, fastReply), Self.comparable(generalOutcome, generalReply))
                            disagreements.record(index: index, hostileClass: fastCase.hostileClass.rawValue, name: fastCase.name,
                                                 outcome: a, agreed: a == b, general: b)
                        }
                    }
                    for connection in fastConnections.values { await connection.close() }
                    for connection in generalConnections.values { await connection.close() }
                }
            }
        }
        let elapsed = clock.now - started
        let served = try await Self.fastPathAnswers(fast.answering)
        let servedGeneral = try await Self.fastPathAnswers(general.answering)
        let summary = disagreements.summary()
        print(String(format: "differential: %d requests in %.1f s; accepted on both: %d; refused on both: %d; the fast path served %d "
                     + "(the general-only gateway %d); disagreements: %d", summary.total,
                     Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                     summary.accepted, summary.total - summary.accepted - summary.disagreements, served, servedGeneral, summary.disagreements))
        for line in summary.samples {
            print("DISAGREEMENT \(line) — replay with TONGBAN_DIFFERENTIAL_SEED=\(seed)")
        }
        #expect(summary.total >= count)
        #expect(summary.disagreements == 0, "\(summary.disagreements) disagreements (the first are printed above)")
        // Both paths were exercised: the fast path served queries, the other gateway none.
        #expect(served > 0 && servedGeneral == 0, "fast path answers: \(served) with it on, \(servedGeneral) with it off")
        #expect(summary.accepted > 0)
        #expect(fast.daemon.isRunning && general.daemon.isRunning)
        #expect(await fast.daemon.stop() == 0)
        #expect(await general.daemon.stop() == 0)
    }

    /// `tongban_peer_fast_path_answers_total` of a running gateway.
    static func fastPathAnswers(_ member: TestFederation.Member) async throws -> Int {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = client.shutdown() }
        let response = try await client.execute(HTTPClientRequest(url: member.localURL + "/metrics"), timeout: .seconds(10))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 22))
        let line = text.split(separator: "\n").first { $0.hasPrefix("tongban_peer_fast_path_answers_total ") }
        return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? -1
    }
}

/// The comparison's tally, shared by the workers.
final class DifferentialLog: Sendable {
    struct Summary {
        var total = 0
        var accepted = 0
        var disagreements = 0
        var samples: [String] = []
    }

    private let state = Mutex(Summary())

    func record(index: Int, hostileClass: String, name: String, outcome: String, agreed: Bool, general: String) {
        state.withLock { summary in
            summary.total += 1
            if agreed, outcome.hasPrefix("accepted") { summary.accepted += 1 }
            guard !agreed else { return }
            summary.disagreements += 1
            if summary.samples.count < 20 {
                summary.samples.append("case \(index) [\(hostileClass)] \(name): fast path \(outcome), general path \(general)")
            }
        }
    }

    func summary() -> Summary { state.withLock { $0 } }
}
