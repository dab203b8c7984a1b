import Foundation
import NIOHTTP1
import TongbanConfig
import TongbanCore
import TongbanStore

extension GatewayState {
    /// TEST SEAM, for the integration tests only (never documented for operators): when the daemon's environment
    /// sets this to an ISO 8601 instant, incoming applications are recorded as received then, so that a test can
    /// make a due date in the past, counted with the real calendar (incoming corrections too). The daemon logs a warning at start when it is set.
    static let receivedAtSeam = "TONGBAND_TESTING_RECEIVED_AT"

    /// When an incoming application or correction is received: now, unless the test seam says otherwise.
    func applicationReceivedAt() -> Date {
        if let text = environment[Self.receivedAtSeam], let date = ISO8601DateFormatter().date(from: text) { return date }
        return Date()
    }

    /// Overdue applications (by direction) and the calendar's coverage of the due dates counted today, in words,
    /// for `tongbanctl status`.
    func applicationWarnings(now: Date = Date()) async -> [String] {
        var warnings: [String] = []
        let today = CalendarDay(chinaDateOf: now)
        if let open = try? await store.applications(state: .submitted) {
            let incoming = open.filter { $0.direction == .incoming && $0.isOverdue(today: today) }.count
            let outgoing = open.filter { $0.direction == .outgoing && $0.isOverdue(today: today) }.count
            if incoming > 0 {
                warnings.append("\(incoming) application(s) from peers are past their due date without a decision "
                                + "(tongbanctl applications list --incoming --overdue)")
            }
            if outgoing > 0 {
                warnings.append("\(outgoing) of this province's application(s) are past the provider's due date without a decision "
                                + "(tongbanctl applications list --outgoing --overdue)")
            }
        }
        let runtime = self.runtime
        if let warning = runtime.calendar.addingWorkingDays(runtime.configuration.applications.answerWorkingDays, to: today).warning {
            warnings.append("working-day calendar (\(runtime.calendar.source)): \(warning) — the due dates of applications received today may be wrong; "
                            + "install the year's arrangements with calendar.file (docs/workflows.md)")
        }
        return warnings
    }

    /// Overdue applications by direction, for the metrics.
    func overdueApplications(now: Date = Date()) async -> [ApplicationDirection: Int] {
        let today = CalendarDay(chinaDateOf: now)
        let open = (try? await store.applications(state: .submitted)) ?? []
        var counts: [ApplicationDirection: Int] = [.incoming: 0, .outgoing: 0]
        for application in open where application.isOverdue(today: today) { counts[application.direction, default: 0] += 1 }
        return counts
    }
}
