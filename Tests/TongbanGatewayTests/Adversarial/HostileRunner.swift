import Foundation
import NIOCore
import NIOSSL
import Synchronization

/// Sends generated cases over a few concurrent keep-alive connections per target, reconnecting when the server
/// closes one, and records each outcome.
struct HostileRunner: Sendable {
    let generator: HostileGenerator
    let endpoints: [HostileTarget: RawConnection.Endpoint]
    let tally: HostileTally
    let workers: Int
    /// Sends only the cases of this class (`TONGBAN_ADVERSARIAL_CLASS`), to look at one class's effect on the daemon.
    var only: HostileClass? = nil

    /// Sends cases `range` (each index gives one case, or two for a replay) and waits for every answer; all
    /// connections are closed when it returns.
    func run(_ range: Range<Int>) async {
        let next = NextIndex(range.lowerBound)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var connections: [HostileTarget: RawConnection] = [:]
                    while true {
                        let index = next.value.wrappingAdd(1, ordering: .relaxed).oldValue
                        guard index < range.upperBound else { break }
                        for hostileCase in generator.cases(at: index) where only == nil || hostileCase.hostileClass == only {
                            let (outcome, _) = await send(hostileCase, &connections)
                            tally.record(hostileCase, outcome)
                        }
                    }
                    for connection in connections.values { await connection.close() }
                }
            }
        }
    }

    /// One case on a kept connection (or a fresh one when the case says so, or the kept one was closed).
    func send(_ hostileCase: HostileCase, _ connections: inout [HostileTarget: RawConnection]) async -> (HostileOutcome, RawConnection.Reply) {
        let target = hostileCase.target
        let keep = !hostileCase.fresh && [.peer, .local, .admin].contains(target)
        var connection: RawConnection
        if keep, let kept = connections[target], kept.isOpen {
            connection = kept
        } else {
            do {
                connection = try await RawConnection.open(endpoints[target]!)
            } catch {
                return (.closed("connect: \(error)"), .closed(reason: "connect: \(error)"))
            }
            if keep {
                if let old = connections[target] { await old.close() }
                connections[target] = connection
            }
        }
        var reply = await connection.exchange(hostileCase.bytes, head: hostileCase.head)
        // A kept connection the server closed while idle: the request never reached it, so send once more on a new one.
        if keep, case .closed(let reason) = reply, reason == "connection already closed" {
            if let fresh = try? await RawConnection.open(endpoints[target]!) {
                connections[target] = fresh
                connection = fresh
                reply = await fresh.exchange(hostileCase.bytes, head: hostileCase.head)
            }
        }
        if !keep {
            await connection.close()
        } else if case .response(let response) = reply, response.closes {
            await connection.close()
            connections[target] = nil
        } else if case .response = reply {
        } else {
            await connection.close()
            connections[target] = nil
        }
        return (HostileOutcome(reply, head: hostileCase.head), reply)
    }

    /// The next case to send, shared by the workers.
    final class NextIndex: Sendable {
        let value: Atomic<Int>
        init(_ start: Int) { value = Atomic(start) }
    }
}
