import Foundation
import Histogram
import NIOCore
import NIOHTTP1

/// One timed phase of the wire generator: closed loop (each connection sends its next request when the last is
/// answered, until the end) or open loop at a fixed rate (requests start on schedule whatever the answers do,
/// on the first idle connection or, when none is, as soon as one is; latency counts from the scheduled start, so a
/// stall is not hidden). Every answer's status is checked; the first answer and every `sampleEvery`-th after it are verified in full by
/// `verify` (digest, signature, binding) during the run. All on the generator's one event loop, so without a lock.
final class WireRun: @unchecked Sendable {
    enum Mode {
        case closed(duration: TimeAmount)
        case open(rate: Int, duration: TimeAmount)
    }

    /// Checks one sampled answer in full; returns its decoded size.
    typealias Verify = @Sendable (_ request: PooledRequest, _ head: HTTPResponseHead, _ body: ByteBuffer) throws -> Int

    let loop: any EventLoop
    let connections: [WireConnection]
    let pool: RequestPool
    let expectedStatus: Int
    let itemsPerAnswer: Int
    let sampleEvery: Int
    let verify: Verify?
    private let done: EventLoopPromise<LoadResult>
    private var result = LoadResult()
    private var sent = 0
    private var sampledWire = 0, sampledRaw = 0
    private var start = NIODeadline.now()
    private var closedEnd = NIODeadline.distantFuture
    // Open loop.
    private var interval: Int64 = 0
    private var count = 0
    private var scheduled = 0
    private var idle: [WireConnection] = []
    private var backlog: [NIODeadline] = []
    private var backlogHead = 0
    private var finished = false

    init(loop: any EventLoop, connections: [WireConnection], pool: RequestPool, expectedStatus: Int, itemsPerAnswer: Int,
         sampleEvery: Int, verify: Verify?) {
        self.loop = loop
        self.connections = connections
        self.pool = pool
        self.expectedStatus = expectedStatus
        self.itemsPerAnswer = itemsPerAnswer
        self.sampleEvery = max(1, sampleEvery)
        self.verify = verify
        done = loop.makePromise()
    }

    /// Runs the phase; the result's `seconds` run from the first request to the last answer.
    func run(_ mode: Mode) async throws -> LoadResult {
        loop.execute { [self] in
            for connection in connections { connection.run = self }
            start = .now()
            switch mode {
            case .closed(let duration):
                closedEnd = start + duration
                for connection in connections where connection.alive { sendNext(on: connection, started: start) }
                finishIfIdle()
            case .open(let rate, let duration):
                count = Int(Double(duration.nanoseconds) / 1e9 * Double(rate))
                interval = 1_000_000_000 / Int64(rate)
                idle = connections.filter(\.alive)
                tick()
            }
        }
        return try await done.futureResult.get()
    }

    // MARK: closed loop

    private func sendNext(on connection: WireConnection, started: NIODeadline) {
        guard let request = pool.take() else {
            result.poolExhausted = true
            return
        }
        sent += 1
        connection.send(request, started: started, keepBody: verify != nil && (sent - 1) % sampleEvery == 0)
    }

    // MARK: open loop

    private func due(_ index: Int) -> NIODeadline { start + .nanoseconds(interval * Int64(index)) }

    private func tick() {
        let now = NIODeadline.now()
        while scheduled < count, due(scheduled) <= now {
            let at = due(scheduled)
            scheduled += 1
            if let connection = idle.popLast() { dispatch(on: connection, started: at) } else { backlog.append(at) }
        }
        if scheduled < count {
            loop.scheduleTask(deadline: due(scheduled)) { [self] in tick() }
        } else {
            finishIfIdle()
        }
    }

    private func dispatch(on connection: WireConnection, started: NIODeadline) {
        guard let request = pool.take() else {
            result.poolExhausted = true
            record(error: BenchError("the pool of pre-signed requests ran out"))
            idle.append(connection)
            return
        }
        sent += 1
        connection.send(request, started: started, keepBody: verify != nil && (sent - 1) % sampleEvery == 0)
    }

    // MARK: answers

    func answered(_ connection: WireConnection, request: PooledRequest, started: NIODeadline, head: HTTPResponseHead,
                  wireBytes: Int, body: ByteBuffer?) {
        let now = NIODeadline.now()
        _ = result.latency.record(UInt64(max(0, (now - started).nanoseconds / 1000)))
        if Int(head.status.code) != expectedStatus {
            record(error: BenchError("answered \(head.status.code) where \(expectedStatus) was expected"))
        } else if let body, let verify {
            do {
                let raw = try verify(request, head, body)
                sampledWire += wireBytes
                sampledRaw += raw
                count(wireBytes)
            } catch {
                record(error: error)
            }
        } else {
            count(wireBytes)
        }
        switch (closedEnd != .distantFuture, now < closedEnd) {
        case (true, true): sendNext(on: connection, started: now)
        case (true, false): break
        case (false, _):
            if backlogHead < backlog.count {
                let at = backlog[backlogHead]
                backlogHead += 1
                dispatch(on: connection, started: at)
            } else {
                idle.append(connection)
            }
        }
        finishIfIdle()
    }

    func lost(_ connection: WireConnection, inFlight: Bool, error: any Error) {
        if inFlight { record(error: error) }
        idle.removeAll { $0 === connection }
        if closedEnd == .distantFuture, !connections.contains(where: \.alive) {
            // No connection left: everything still scheduled fails.
            let left = (count - scheduled) + (backlog.count - backlogHead)
            scheduled = count
            backlogHead = backlog.count
            for _ in 0..<left { record(error: error) }
        }
        finishIfIdle()
    }

    private func count(_ wireBytes: Int) {
        result.requests += 1
        result.wireBytes += wireBytes
        result.items += itemsPerAnswer
    }

    private func record(error: any Error) {
        result.errors += 1
        if result.firstError == nil { result.firstError = String(describing: error) }
    }

    /// Done when nothing is in flight and nothing more will be sent.
    private func finishIfIdle() {
        guard !finished, !connections.contains(where: { $0.alive && $0.busy }) else { return }
        if closedEnd == .distantFuture {
            guard scheduled >= count, backlogHead >= backlog.count else { return }
        }
        finished = true
        result.seconds = Double((NIODeadline.now() - start).nanoseconds) / 1e9
        // Decoded sizes are measured on the verified sample; the rest are estimated from its ratio.
        result.rawBytes = sampledWire > 0 ? Int(Double(result.wireBytes) * Double(sampledRaw) / Double(sampledWire)) : result.wireBytes
        for connection in connections { connection.run = nil }
        done.succeed(result)
    }
}
