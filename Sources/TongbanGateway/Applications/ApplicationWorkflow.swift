import Foundation
import Logging
import NIOHTTP1
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanStore

/// The application workflow's steps taken on this gateway's side: applying to a peer and withdrawing (requester),
/// deciding and expiring (provider). The provider's record is the one that decides; the requester's follows it
/// (`ApplicationDelivery` carries decisions across). Every change is audited here, and none logs a purpose, a
/// basis or a contact.
enum ApplicationWorkflow {
    /// Signs and sends a new application to its provider; stored and audited once the provider has received it
    /// (201). A refusal (a resource that needs none, or is never shared) is audited and returned; nothing is stored.
    static func apply(_ draft: ApplicationDraft, state: GatewayState) async throws -> SharingApplication {
        let peer = try state.peer(try ProvinceCode(draft.peer))
        let submission = draft.submission(id: ApplicationID.make(province: state.configuration.province))
        let body = try JSONCoding.encoder().encode(submission)
        let digest = ApplicationAudit.digest(body)
        var start = ContinuousClock.now
        var response: PeerResponse?
        // Sent once more when no answer came: the provider may have stored it and the answer been lost, and a
        // submission is idempotent by its id (the same receipt comes back), so the second attempt is safe.
        for attempt in 1...2 where response == nil {
            start = ContinuousClock.now
            do { response = try await state.runtime.peerClient.request(peer, method: .POST, path: "/v1/applications", json: body) } catch {
                state.metrics.exchange(peer: peer.code.rawValue, endpoint: "applications", direction: .outbound, status: error.code.status,
                                       duration: ContinuousClock.now - start, wireBytes: 0, uncompressedBytes: 0, records: 0)
                guard attempt == 1, error.code == .peerUnreachable || error.code == .peerTimeout else { throw error }
            }
        }
        guard let response else { throw TongbanError(.peerUnreachable, "peer \(peer.code) did not answer the application") }
        let elapsed = ContinuousClock.now - start
        state.metrics.exchange(peer: peer.code.rawValue, endpoint: "applications", direction: .outbound, status: response.status, duration: elapsed,
                               wireBytes: response.wireBytes, uncompressedBytes: response.body.count, records: 0)
        var receipt: ApplicationReceipt?
        if response.status == 201 { receipt = try? JSONCoding.decoder().decode(ApplicationReceipt.self, from: response.body) }
        let refusal = receipt == nil ? (response.status == 201
            ? TongbanError(.peerUnreachable, "peer \(peer.code) answered the application with an unreadable receipt")
            : ApplicationAudit.refusal(response, peer: peer)) : nil
        try await state.appendAudit(ApplicationAudit.call(
            response, peer: peer.code.rawValue, id: submission.id, requester: submission.requester, matter: submission.matter,
            resource: submission.resource, digest: digest, fields: receipt?.fields ?? submission.fields,
            decision: receipt == nil ? "deny" : ApplicationState.submitted.rawValue,
            reasonCode: refusal?.code.rawValue ?? ApplicationAudit.reasonCode(.submitted), elapsed: elapsed))
        guard let receipt, receipt.id == submission.id else {
            throw refusal ?? TongbanError(.peerUnreachable, "peer \(peer.code) answered for another application")
        }
        let application = SharingApplication(id: submission.id, direction: .outgoing, peer: peer.code.rawValue, submission: submission,
                                      fields: receipt.fields, receivedAt: receipt.receivedAt, dueDate: receipt.dueDate, expiresAt: receipt.expiresAt,
                                      calendarWarning: receipt.calendarWarning, documentDigest: digest)
        _ = try await state.store.insertApplication(application)
        state.logger.notice("application submitted", metadata: [
            "tongban.application": .string(application.id), "tongban.peer": .string(peer.code.rawValue),
            "tongban.due": .string(receipt.dueDate.description)])
        return application
    }

    /// Approves an incoming application: the grant it makes (within what was asked for; `grant add`'s rules) is
    /// stored with the decision, in one transaction, and the decision queued for the requester.
    static func approve(_ id: String, _ approval: ApplicationApproval, state: GatewayState) async throws -> SharingApplication {
        guard let stored = try await state.store.application(id: id) else { throw TongbanError(.applicationUnknown, "no application \(id)") }
        try stored.requireDecidable()
        let configuration = state.configuration
        let request = GrantRequest(peer: stored.peer, resource: stored.resource, matter: stored.matter, fields: approval.fields ?? stored.fields,
                                   clearFields: approval.clearFields, days: approval.days ?? stored.days)
        let grant = try request.grant(id: Grant.newID(), resource: await state.catalogue.resource(stored.resource), matters: state.matters,
                                      province: configuration.province, peers: state.memberEndpoints().map(\.endpoint.code))
        return try await decide(id, grant: grant, operatorId: approval.operatorId, state: state) { application, now throws(TongbanError) in
            try application.applying(.approve(grant, by: approval.operatorId), at: now)
        }
    }

    /// Refuses an incoming application; the reason is required.
    static func refuse(_ id: String, _ statement: ApplicationStatement, state: GatewayState) async throws -> SharingApplication {
        try await decide(id, grant: nil, operatorId: statement.operatorId, state: state) { application, now throws(TongbanError) in
            try application.applying(.refuse(reason: statement.reason ?? "", by: statement.operatorId), at: now)
        }
    }

    /// Expires every incoming application still undecided past its `expiresAt`.
    static func expireDue(state: GatewayState, now: Date = Date()) async {
        guard let expiring = try? await state.store.applications(direction: .incoming, state: .submitted, expiringBy: now) else { return }
        for application in expiring {
            do {
                _ = try await decide(application.id, grant: nil, operatorId: nil, state: state) { application, now throws(TongbanError) in
                    try application.applying(.expire, at: now)
                }
            } catch {
                state.logger.error("cannot expire application \(application.id): \(error)")
            }
        }
    }

    /// One provider decision: the transition, its grant and its message to the requester in one transaction, then
    /// the audit entry.
    static func decide(_ id: String, grant: Grant?, operatorId: String?, state: GatewayState,
                       _ transition: @escaping @Sendable (SharingApplication, Date) throws(TongbanError) -> SharingApplication) async throws -> SharingApplication {
        let now = Date()
        guard let changed = try await state.store.updateApplication(id, grant: grant, outbox: ApplicationDelivery.message(for:), at: now, {
            application throws(TongbanError) in try transition(application, now)
        }) else { throw TongbanError(.applicationUnknown, "no application \(id)") }
        let decided = changed.after
        state.logger.notice("application \(decided.state.rawValue)", metadata: [
            "tongban.application": .string(id), "tongban.peer": .string(decided.peer), "tongban.grant": .string(decided.grant?.id ?? "-")])
        try await audit(decided, operatorId: operatorId, state: state)
        return decided
    }

    /// Withdraws one of this province's applications: the provider, which holds the state, is asked and answers
    /// with the application withdrawn (or with its decision, if it came first).
    static func withdraw(_ id: String, _ statement: ApplicationStatement, state: GatewayState) async throws -> SharingApplication {
        guard let stored = try await state.store.application(id: id) else { throw TongbanError(.applicationUnknown, "no application \(id)") }
        guard stored.direction == .outgoing else {
            throw TongbanError(.applicationForbidden, "application \(id) was made by province \(stored.peer): only it withdraws it "
                               + "(as its provider, refuse it: tongbanctl applications refuse \(id) --reason …)")
        }
        guard stored.state == .submitted else { throw TongbanError(.applicationDecided, "application \(id) was already \(stored.state.rawValue)") }
        let peer = try state.peer(try ProvinceCode(stored.peer))
        let start = ContinuousClock.now
        let response = try await state.runtime.peerClient.request(peer, method: .POST, path: "/v1/applications/\(id)/withdraw",
                                                                   json: try JSONCoding.encoder().encode(statement))
        let update = response.status == 200 ? try? JSONCoding.decoder().decode(ApplicationUpdate.self, from: response.body) : nil
        let refusal = update == nil ? ApplicationAudit.refusal(response, peer: peer) : nil
        var requester = stored.requester
        requester.operatorId = statement.operatorId
        try await state.appendAudit(ApplicationAudit.call(
            response, peer: peer.code.rawValue, id: id, requester: requester, matter: stored.matter, resource: stored.resource,
            digest: stored.documentDigest, fields: [], decision: update?.state.rawValue ?? "deny",
            reasonCode: refusal?.code.rawValue ?? ApplicationAudit.reasonCode(update?.state ?? .withdrawn), elapsed: ContinuousClock.now - start))
        guard let update else {
            // Decided meanwhile, most likely: learn the decision now rather than at the next pull.
            if refusal?.code == .applicationDecided { await ApplicationDelivery.pull(stored, state: state) }
            throw refusal ?? TongbanError(.peerUnreachable, "peer \(peer.code) answered the withdrawal without the application")
        }
        let changed = try await state.store.updateApplication(id) { application throws(TongbanError) in
            var next = try application.mirroring(update, from: peer.code)
            next?.decidedBy = statement.operatorId
            return next
        }
        return changed?.after ?? stored
    }

    /// The audit entry of a change made on this side; a change that cannot be audited is reported (it is made).
    static func audit(_ application: SharingApplication, operatorId: String?, state: GatewayState) async throws {
        do { try await state.appendAudit(ApplicationAudit.transition(application, operatorId: operatorId)) } catch {
            state.logger.error("application \(application.id) is \(application.state.rawValue), but its audit entry could not be written",
                               metadata: ["tongban.code": .string(error.code.rawValue)])
            throw TongbanError(.auditUnavailable, "application \(application.id) is \(application.state.rawValue), but the audit log could not record it: "
                               + "\(error.message)")
        }
    }
}
