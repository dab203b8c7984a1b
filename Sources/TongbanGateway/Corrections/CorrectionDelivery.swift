import Foundation
import Logging
import NIOHTTP1
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanStore

/// How a correction's outcome reaches the requester whichever side was down when it was made: pushed from the
/// provider's outbox to the requester's `POST /v1/corrections/{id}/outcome` (`OutboxDelivery`), and pulled by the
/// requester from `GET /v1/corrections/{id}` for each of its corrections still submitted. Applied once either way.
enum CorrectionDelivery {
    static let pathPrefix = "/v1/corrections/"

    /// The provider's message that tells the requester where `correction` stands now (not sent for a withdrawal,
    /// which the requester asked for and was answered).
    static func message(for correction: Correction) -> OutboxMessage? {
        guard correction.direction == .incoming, correction.state.isFinal, correction.state != .withdrawn,
              let body = try? JSONCoding.encoder().encode(correction.update) else { return nil }
        return OutboxMessage(peer: correction.peer, path: pathPrefix + correction.id + "/outcome", body: body, subject: correction.id,
                             nextAttemptAt: Date())
    }

    static func deliver(_ message: OutboxMessage, state: GatewayState) async {
        let retryAt = Date().addingTimeInterval(OutboxDelivery.pause(after: message, state: state))
        let correction = try? await state.store.correction(id: message.subject)
        do {
            let peer = try state.peer(try ProvinceCode(message.peer))
            let start = ContinuousClock.now
            let response = try await state.runtime.peerClient.request(peer, method: .POST, path: message.path, json: message.body)
            let elapsed = ContinuousClock.now - start
            state.metrics.exchange(peer: message.peer, endpoint: "corrections", direction: .outbound, status: response.status, duration: elapsed,
                                   wireBytes: response.wireBytes, uncompressedBytes: response.body.count, records: 0)
            let delivered = response.status == 200
            let refusal = delivered ? nil : PeerClient.refusal(peer, status: response.status, body: response.body)
            let final = OutboxDelivery.isFinal(refusal)
            if let correction {
                try? await state.appendAudit(CorrectionAudit.call(
                    response, peer: message.peer, id: message.subject, requester: correction.requester, resource: correction.resource,
                    subject: correction.subject, field: correction.field, decision: delivered ? correction.state.rawValue : "deny",
                    reasonCode: refusal?.code.rawValue ?? "tongban.correction.delivered", elapsed: elapsed, state: state))
            }
            if final {
                state.logger.warning("the requester refused a correction outcome for good; it is not sent again", metadata: [
                    "tongban.correction": .string(message.subject), "tongban.peer": .string(message.peer),
                    "tongban.code": .string(refusal?.code.rawValue ?? "")])
            }
            try await state.store.recordOutboxAttempt(message, delivered: delivered, abandoned: final, error: refusal?.message, retryAt: retryAt)
        } catch {
            state.logger.info("correction outcome not delivered; tried again later", metadata: [
                "tongban.correction": .string(message.subject), "tongban.peer": .string(message.peer),
                "tongban.code": .string(error.code.rawValue), "tongban.retry.seconds": .string(String(Int(retryAt.timeIntervalSinceNow.rounded())))])
            try? await state.store.recordOutboxAttempt(message, delivered: false, error: error.message, retryAt: retryAt)
        }
    }

    /// Asks the provider where `correction` (one of this province's, still submitted) stands, and applies the answer.
    /// Audited only when it changes something.
    static func pull(_ correction: Correction, state: GatewayState) async {
        do {
            let peer = try state.peer(try ProvinceCode(correction.peer))
            let start = ContinuousClock.now
            let response = try await state.runtime.peerClient.request(peer, method: .GET, path: pathPrefix + correction.id, json: nil)
            guard response.status == 200 else {
                let refusal = PeerClient.refusal(peer, status: response.status, body: response.body)
                state.logger.warning("the provider does not answer for a correction", metadata: [
                    "tongban.correction": .string(correction.id), "tongban.peer": .string(correction.peer), "tongban.code": .string(refusal.code.rawValue)])
                return
            }
            let update = try JSONCoding.decoder().decode(CorrectionUpdate.self, from: response.body)
            guard let changed = try await state.store.updateCorrection(correction.id, { stored throws(TongbanError) in
                try stored.mirroring(update, from: peer.code)
            }) else { return }
            let resolved = changed.after
            try await state.appendAudit(CorrectionAudit.call(
                response, peer: resolved.peer, id: resolved.id, requester: resolved.requester, resource: resolved.resource, subject: resolved.subject,
                field: resolved.field, decision: resolved.state.rawValue, reasonCode: CorrectionAudit.reasonCode(resolved.state),
                elapsed: ContinuousClock.now - start, state: state))
            state.logger.notice("correction resolved by its provider (pulled)", metadata: [
                "tongban.correction": .string(resolved.id), "tongban.peer": .string(resolved.peer), "tongban.state": .string(resolved.state.rawValue)])
        } catch {
            state.logger.debug("correction pull failed", metadata: ["tongban.correction": .string(correction.id),
                                                                     "tongban.error": .string(String(describing: type(of: error)))])
        }
    }
}
