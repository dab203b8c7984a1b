import Foundation
import Synchronization

/// Counts of hostile cases by class and outcome, and the violations found, for the table a run prints.
final class HostileTally: Sendable {
    struct Violation: Sendable {
        let hostileCase: HostileCase
        let outcome: HostileOutcome
        let reason: String
    }

    private struct State {
        var counts: [HostileClass: [String: Int]] = [:]
        var byName: [String: [String: Int]] = [:]
        var violations: [HostileClass: Int] = [:]
        var samples: [Violation] = []
        var mustRefuse = 0
        var mustRefuseAccepted = 0
        var serverErrors = 0
        var controls = 0
        var controlsAccepted = 0
        var total = 0
    }

    private let state = Mutex(State())

    func record(_ hostileCase: HostileCase, _ outcome: HostileOutcome) {
        let reason = outcome.violation(of: hostileCase.verdict, target: hostileCase.target)
        state.withLock { state in
            state.total += 1
            state.counts[hostileCase.hostileClass, default: [:]][outcome.column, default: 0] += 1
            let name = hostileCase.hostileClass.rawValue + ": " + (hostileCase.name.components(separatedBy: " (").first ?? hostileCase.name)
            state.byName[name, default: [:]][outcome.column, default: 0] += 1
            if case .serverError = outcome { state.serverErrors += 1 }
            switch hostileCase.verdict {
            case .accept:
                state.controls += 1
                if case .accepted = outcome { state.controlsAccepted += 1 }
            case .refuse, .reject, .elsewhere:
                state.mustRefuse += 1
                if case .accepted = outcome { state.mustRefuseAccepted += 1 }
            case .neutral, .tolerate: break
            }
            if let reason {
                state.violations[hostileCase.hostileClass, default: 0] += 1
                if state.samples.count < 40 { state.samples.append(Violation(hostileCase: hostileCase, outcome: outcome, reason: reason)) }
            }
        }
    }

    var total: Int { state.withLock { $0.total } }
    var violations: Int { state.withLock { $0.violations.values.reduce(0, +) } }
    var samples: [Violation] { state.withLock { $0.samples } }
    var mustRefuse: Int { state.withLock { $0.mustRefuse } }
    var mustRefuseAccepted: Int { state.withLock { $0.mustRefuseAccepted } }
    var serverErrors: Int { state.withLock { $0.serverErrors } }
    var controls: (sent: Int, accepted: Int) { state.withLock { ($0.controls, $0.controlsAccepted) } }

    /// Outcomes per mutation (the case name without its route), for `TONGBAN_ADVERSARIAL_DETAIL=1`.
    func detail() -> String {
        state.withLock { state in
            state.byName.sorted { $0.key < $1.key }.map { name, counts in
                name + " → " + counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            }.joined(separator: "\n")
        }
    }

    /// The table: one row per class, one column per outcome seen (2xx, each refusal status, plain 4xx, closed, 5xx,
    /// timeout), then the violations.
    func table() -> String {
        state.withLock { state in
            let columns = Set(state.counts.values.flatMap(\.keys)).union(["2xx", "5xx"]).sorted { a, b in
                func rank(_ c: String) -> (Int, String) {
                    c == "2xx" ? (0, c) : Int(c) != nil ? (1, c) : c == "4xx plain" ? (2, c) : c == "closed" ? (3, c) : c == "5xx" ? (4, c) : (5, c)
                }
                return rank(a) < rank(b)
            }
            let header = ["class", "cases"] + columns + ["violations"]
            var rows: [[String]] = []
            var totals = [String: Int]()
            for hostileClass in HostileClass.allCases {
                let counts = state.counts[hostileClass] ?? [:]
                let cases = counts.values.reduce(0, +)
                for (column, n) in counts { totals[column, default: 0] += n }
                rows.append([hostileClass.rawValue, String(cases)] + columns.map { String(counts[$0] ?? 0) }
                            + [String(state.violations[hostileClass] ?? 0)])
            }
            rows.append(["total", String(state.total)] + columns.map { String(totals[$0] ?? 0) }
                        + [String(state.violations.values.reduce(0, +))])
            let widths = header.indices.map { i in ([header] + rows).map { $0[i].count }.max()! }
            func line(_ cells: [String]) -> String {
                cells.enumerated().map { i, cell in
                    i == 0 ? cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                        : String(repeating: " ", count: widths[i] - cell.count) + cell
                }.joined(separator: "  ")
            }
            let rule = String(repeating: "-", count: line(header).count)
            return ([line(header), rule] + rows.dropLast().map(line) + [rule, line(rows.last!)]).joined(separator: "\n")
        }
    }
}
