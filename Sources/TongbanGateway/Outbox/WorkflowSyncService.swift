import Foundation
import Logging
import NIOHTTP1
import ServiceLifecycle
import TongbanConfig
import TongbanCore
import TongbanStore

/// Once a second: expires the incoming applications past their `expiresAt`, pushes the decisions and outcomes that are
/// due (`OutboxDelivery`), and pulls the state of this province's own applications and corrections still submitted — at
/// start, then every `applications.pullSeconds` each.
struct WorkflowSyncService: Service {
    let state: GatewayState

    func run() async throws {
        if let seam = state.environment[GatewayState.receivedAtSeam] {
            state.logger.warning("TEST SEAM: incoming applications and corrections are recorded as received at \(seam) (\(GatewayState.receivedAtSeam)); never in production")
        }
        var pulled: [String: ContinuousClock.Instant] = [:]
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let interval = Duration.seconds(state.configuration.applications.pullSeconds)
            let now = ContinuousClock.now
            let own = (try? await state.store.applications(direction: .outgoing, state: .submitted)) ?? []
            let due = own.filter { application in pulled[application.id].map { now - $0 >= interval } ?? true }
            for application in due { pulled[application.id] = now }
            let corrections = (try? await state.store.corrections(direction: .outgoing, state: .submitted)) ?? []
            let dueCorrections = corrections.filter { correction in pulled[correction.id].map { now - $0 >= interval } ?? true }
            for correction in dueCorrections { pulled[correction.id] = now }
            let open = Set(own.map(\.id) + corrections.map(\.id))
            pulled = pulled.filter { open.contains($0.key) }
            await cancelWhenGracefulShutdown { [state] in
                await ApplicationWorkflow.expireDue(state: state)
                await OutboxDelivery.deliverDue(state: state)
                for application in due { await ApplicationDelivery.pull(application, state: state) }
                for correction in dueCorrections { await CorrectionDelivery.pull(correction, state: state) }
            }
            await Task.pause(for: .seconds(1))
        }
    }
}
