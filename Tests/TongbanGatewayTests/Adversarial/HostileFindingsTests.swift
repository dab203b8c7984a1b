import Crypto
import Foundation
import Testing
import TongbanClient
import TongbanCore
import TongbanSigning
import TongbanTestKit

/// The defects the generated hostile requests found (`AdversarialTests`), each provoked once on a live daemon.
@Suite(.serialized) struct HostileFindingsTests {
    @Test func refusalsTheGeneratorFound() async throws {
        let federation = try TestFederation(provinces: ["11", "31"], catalogue: TestCatalogue.exchangeYAML())
        defer { federation.remove() }
        let daemon = try await RunningDaemon(federation["31"])
        let runner = try AdversarialTests.runner(federation: federation, caller: federation["11"], answering: federation["31"], seed: 1)
        let generator = runner.generator
        var context = HostileGenerator.Context(index: 0, hostileClass: .body, rng: SeededGenerator(seed: 1), generator: generator)
        var connections: [HostileTarget: RawConnection] = [:]
        func send(_ request: RawRequest, bytes: [UInt8]? = nil) async -> HostileOutcome {
            let hostileCase = HostileCase(index: 0, hostileClass: .body, name: "", target: .peer, bytes: bytes ?? request.bytes(),
                                          verdict: .refused, fresh: true)
            return await runner.send(hostileCase, &connections).0
        }
        func code(_ outcome: HostileOutcome) -> String? {
            if case .problem(_, let code, true) = outcome { return code }
            return nil
        }
        let ping = Array(#"{"n":1}"#.utf8)
        #expect(await send(generator.signed(&context, method: "POST", target: "/v1/ping", body: ping)) == .accepted(200))

        // A body left out from under its signed Content-Digest was served as an empty ping: the digest was checked only
        // when a body arrived.
        var bodiless = generator.signed(&context, method: "POST", target: "/v1/ping", body: ping)
        bodiless.body = []
        #expect(code(await send(bodiless)) == "tongban.digest.mismatch")

        // A second Host line was ignored: the first was the signed @authority, the second anyone's.
        var twoHosts = generator.signed(&context, method: "POST", target: "/v1/ping", body: ping)
        twoHosts.fields.append(("Host", "evil.example"))
        #expect(code(await send(twoHosts)) == "tongban.request.invalid")

        // A transfer coding the gateway does not implement was served undecoded; one the parser refuses after the head
        // (chunked not last, a broken chunk) was a 500.
        for (coding, body) in [("gzip, chunked", RawRequest.chunked(ping, size: 4)), ("xchunked", RawRequest.chunked(ping, size: 4)),
                               ("chunked", Array("zz\r\n{}\r\n0\r\n\r\n".utf8))] {
            var request = generator.signed(&context, method: "POST", target: "/v1/ping", body: ping)
            request.framing = .none
            request.fields.append(("Transfer-Encoding", coding))
            request.body = body
            let outcome = await send(request)
            #expect(code(outcome) == "tongban.request.invalid", "\(coding): \(outcome)")
        }

        // A member no handler reads, not JSON (an invalid escape, a leading zero), went through JSONDecoder unseen.
        for extra in [#","x":"\x41""#, #","x":01"#] {
            let body = Array(generator.queryJSON(extra: extra).utf8)
            #expect(code(await send(generator.signed(&context, method: "POST", target: "/v1/query", body: body))) == "tongban.json.invalid")
        }
        // A gzip body without its last bytes (its CRC and length) decoded as far as it went, and was served.
        let coded = HostileGenerator.gzip(Array(generator.queryJSON().utf8))
        let cut = generator.signed(&context, method: "POST", target: "/v1/query", body: Array(coded.dropLast(4)), extra: [("Content-Encoding", "gzip")])
        #expect(code(await send(cut)) == "tongban.request.invalid")
        let whole = generator.signed(&context, method: "POST", target: "/v1/query", body: coded, extra: [("Content-Encoding", "gzip")])
        #expect(await send(whole) == .accepted(200))
        for connection in connections.values { await connection.close() }
        #expect(await daemon.stop() == 0)
    }
}
