import Foundation
import Logging
import NIOHTTP1
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanStore

/// How a decision reaches the requester, so that it arrives whichever side was down when it was made:
/// - **push**: the provider puts the signed decision in its outbox (`peer_outbox`) in the transaction that makes it,
///   and sends it to the requester's `POST /v1/applications/{id}/decision` until the requester acknowledges it —
///   at once, then after `applications.retrySeconds`, doubling up to an hour; a requester that refuses it for good
///   (it does not know the application, or holds another decision) ends the attempts, with a log line;
/// - **pull**: the requester asks `GET /v1/applications/{id}` for each of its applications still submitted, at start
///   and every `applications.pullSeconds`.
/// Both ends apply a decision once (the state machine answers a repeat as applied), so either way, or both, is safe.
enum ApplicationDelivery {
    /// The provider's message that tells the requester where `application` stands now.
    static func message(for application: SharingApplication) -> OutboxMessage? {
        guard application.direction == .incoming, application.state.isFinal, application.state != .withdrawn,
              let body = try? JSONCoding.encoder().encode(application.update) else { return nil }
        return OutboxMessage(peer: application.peer, path: "/v1/applications/\(application.id)/decision", body: body, subject: application.id,
                             nextAttemptAt: Date())
    }

    static func deliver(_ message: OutboxMessage, state: GatewayState) async {
        let pause = OutboxDelivery.pause(after: message, state: state)
        let retryAt = Date().addingTimeInterval(pause)
        let application = try? await state.store.application(id: message.subject)
        do {
            let peer = try state.peer(try ProvinceCode(message.peer))
            let start = ContinuousClock.now
            let response = try await state.runtime.peerClient.request(peer, method: .POST, path: message.path, json: message.body)
            let elapsed = ContinuousClock.now - start
            state.metrics.exchange(peer: message.peer, endpoint: "applications", direction: .outbound, status: response.status, duration: elapsed,
                                   wireBytes: response.wireBytes, uncompressedBytes: response.body.count, records: 0)
            let delivered = response.status == 200
            let refusal = delivered ? nil : ApplicationAudit.refusal(response, peer: peer)
            // Refused for good: the requester does not know the application, or holds a decision that contradicts it.
            let final = OutboxDelivery.isFinal(refusal)
            if let application {
                try? await state.appendAudit(ApplicationAudit.call(
                    response, peer: message.peer, id: message.subject, requester: application.requester, matter: application.matter,
                    resource: application.resource, digest: application.documentDigest, fields: application.grant?.fields ?? [],
                    decision: delivered ? application.state.rawValue : "deny",
                    reasonCode: refusal?.code.rawValue ?? "tongban.application.delivered", elapsed: elapsed))
            }
            if final {
                state.logger.warning("the requester refused an application decision for good; it is not sent again", metadata: [
                    "tongban.application": .string(message.subject), "tongban.peer": .string(message.peer),
                    "tongban.code": .string(refusal?.code.rawValue ?? "")])
            }
            try await state.store.recordOutboxAttempt(message, delivered: delivered, abandoned: final, error: refusal?.message, retryAt: retryAt)
        } catch {
            state.logger.info("application decision not delivered; tried again later", metadata: [
                "tongban.application": .string(message.subject), "tongban.peer": .string(message.peer),
                "tongban.code": .string(error.code.rawValue), "tongban.retry.seconds": .string(String(Int(pause)))])
            try? await state.store.recordOutboxAttempt(message, delivered: false, error: error.message, retryAt: retryAt)
        }
    }

    /// Asks the provider where `application` (one of this province's, still submitted) stands, and applies the answer.
    /// Audited only when it changes something.
    static func pull(_ application: SharingApplication, state: GatewayState) async {
        do {
            let peer = try state.peer(try ProvinceCode(application.peer))
            let start = ContinuousClock.now
            let response = try await state.runtime.peerClient.request(peer, method: .GET, path: "/v1/applications/\(application.id)", json: nil)
            guard response.status == 200 else {
                let refusal = ApplicationAudit.refusal(response, peer: peer)
                state.logger.warning("the provider does not answer for an application", metadata: [
                    "tongban.application": .string(application.id), "tongban.peer": .string(application.peer),
                    "tongban.code": .string(refusal.code.rawValue)])
                return
            }
            let update = try JSONCoding.decoder().decode(ApplicationUpdate.self, from: response.body)
            guard let changed = try await state.store.updateApplication(application.id, { stored throws(TongbanError) in
                try stored.mirroring(update, from: peer.code)
            }) else { return }
            let decided = changed.after
            try await state.appendAudit(ApplicationAudit.call(
                response, peer: decided.peer, id: decided.id, requester: decided.requester, matter: decided.matter, resource: decided.resource,
                digest: decided.documentDigest, fields: decided.grant?.fields ?? [], decision: decided.state.rawValue,
                reasonCode: ApplicationAudit.reasonCode(decided.state), elapsed: ContinuousClock.now - start))
            state.logger.notice("application decided by its provider (pulled)", metadata: [
                "tongban.application": .string(decided.id), "tongban.peer": .string(decided.peer), "tongban.state": .string(decided.state.rawValue)])
        } catch {
            state.logger.debug("application pull failed", metadata: ["tongban.application": .string(application.id),
                                                                      "tongban.error": .string(String(describing: type(of: error)))])
        }
    }
}
