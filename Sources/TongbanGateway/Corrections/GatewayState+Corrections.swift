import Foundation
import TongbanConfig
import TongbanCore
import TongbanStore

extension GatewayState {
    /// Overdue corrections by direction, in words, for `tongbanctl status`.
    func correctionWarnings(now: Date = Date()) async -> [String] {
        var warnings: [String] = []
        let counts = await overdueCorrections(now: now)
        if let incoming = counts[.incoming], incoming > 0 {
            warnings.append("\(incoming) correction(s) of this province's records are past their due date without an outcome "
                            + "(tongbanctl corrections list --incoming --overdue)")
        }
        if let outgoing = counts[.outgoing], outgoing > 0 {
            warnings.append("\(outgoing) of this province's correction(s) are past the provider's due date without an outcome "
                            + "(tongbanctl corrections list --outgoing --overdue)")
        }
        return warnings
    }

    /// Overdue corrections by direction, for the metrics.
    func overdueCorrections(now: Date = Date()) async -> [CorrectionDirection: Int] {
        let today = CalendarDay(chinaDateOf: now)
        let open = (try? await store.corrections(state: .submitted)) ?? []
        var counts: [CorrectionDirection: Int] = [.incoming: 0, .outgoing: 0]
        for correction in open where correction.isOverdue(today: today) { counts[correction.direction, default: 0] += 1 }
        return counts
    }
}
