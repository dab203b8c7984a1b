import Foundation
import Logging
import NIOHTTP1
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanStore

/// The correction workflow's steps taken on this gateway's side: requesting a correction of a peer's record and
/// withdrawing it (requester), resolving it (provider). The provider's record is the one that decides; the requester's
/// follows it (`CorrectionDelivery`). Every change is audited here; no log line carries a subject, a value or evidence.
enum CorrectionWorkflow {
    /// Signs and sends a new correction to the province that holds the record; stored and audited once the provider
    /// has received it (201). A refusal is audited and returned; nothing is stored.
    static func request(_ draft: CorrectionDraft, state: GatewayState) async throws -> Correction {
        let peer = try state.peer(try ProvinceCode(draft.peer))
        do { _ = try CitizenID(draft.subject) } catch {
            throw TongbanError(.subjectInvalid, "the subject is not a valid citizen ID number (\(error.citizenIDFailure?.rawValue ?? "format"))")
        }
        try CorrectionSubmission.checkText(seen: draft.seen, claimed: draft.claimed, evidence: draft.evidence)
        let submission = draft.submission(id: CorrectionID.make(province: state.configuration.province))
        let body = try JSONCoding.encoder().encode(submission)
        var start = ContinuousClock.now
        var response: PeerResponse?
        // Sent once more when no answer came: a submission is idempotent by its id (the same receipt comes back).
        for attempt in 1...2 where response == nil {
            start = ContinuousClock.now
            do { response = try await state.runtime.peerClient.request(peer, method: .POST, path: "/v1/corrections", json: body) } catch {
                state.metrics.exchange(peer: peer.code.rawValue, endpoint: "corrections", direction: .outbound, status: error.code.status,
                                       duration: ContinuousClock.now - start, wireBytes: 0, uncompressedBytes: 0, records: 0)
                guard attempt == 1, error.code == .peerUnreachable || error.code == .peerTimeout else { throw error }
            }
        }
        guard let response else { throw TongbanError(.peerUnreachable, "peer \(peer.code) did not answer the correction") }
        let elapsed = ContinuousClock.now - start
        state.metrics.exchange(peer: peer.code.rawValue, endpoint: "corrections", direction: .outbound, status: response.status, duration: elapsed,
                               wireBytes: response.wireBytes, uncompressedBytes: response.body.count, records: 0)
        var receipt: CorrectionReceipt?
        if response.status == 201 { receipt = try? JSONCoding.decoder().decode(CorrectionReceipt.self, from: response.body) }
        let refusal = receipt == nil ? (response.status == 201
            ? TongbanError(.peerUnreachable, "peer \(peer.code) answered the correction with an unreadable receipt")
            : PeerClient.refusal(peer, status: response.status, body: response.body)) : nil
        try await state.appendAudit(CorrectionAudit.call(
            response, peer: peer.code.rawValue, id: submission.id, requester: submission.requester, resource: submission.resource,
            subject: submission.subject, field: submission.field, decision: receipt == nil ? "deny" : CorrectionState.submitted.rawValue,
            reasonCode: refusal?.code.rawValue ?? CorrectionAudit.reasonCode(.submitted), elapsed: elapsed, state: state))
        guard let receipt, receipt.id == submission.id else {
            throw refusal ?? TongbanError(.peerUnreachable, "peer \(peer.code) answered for another correction")
        }
        let correction = Correction(id: submission.id, direction: .outgoing, peer: peer.code.rawValue, submission: submission,
                                    subject: submission.subject, receivedAt: receipt.receivedAt, dueDate: receipt.dueDate,
                                    calendarWarning: receipt.calendarWarning, valueAtReceipt: nil, documentDigest: CorrectionAudit.digest(body))
        _ = try await state.store.insertCorrection(correction)
        state.logger.notice("correction requested", metadata: [
            "tongban.correction": .string(correction.id), "tongban.peer": .string(peer.code.rawValue), "tongban.due": .string(receipt.dueDate.description)])
        return correction
    }

    /// Resolves an incoming correction. `corrected` is checked against the record as it stands now
    /// (`Correction.requireChange`); the outcome is queued for the requester in the same transaction.
    static func resolve(_ id: String, _ resolution: CorrectionResolution, state: GatewayState) async throws -> Correction {
        guard let stored = try await state.store.correction(id: id) else { throw TongbanError(.correctionUnknown, "no correction \(id)") }
        try stored.requireResolvable()
        let event: CorrectionEvent
        switch resolution.outcome {
        case .corrected:
            let record = try await state.store.fieldState(resource: stored.resource, subject: stored.subject, field: stored.field)
            event = .correct(reason: resolution.reason, by: resolution.operatorId, record: record)
        case .rejected:
            event = .reject(reason: resolution.reason, by: resolution.operatorId)
        }
        let now = Date()
        guard let changed = try await state.store.updateCorrection(id, outbox: CorrectionDelivery.message(for:), at: now, { correction throws(TongbanError) in
            try correction.applying(event, at: now)
        }) else { throw TongbanError(.correctionUnknown, "no correction \(id)") }
        let resolved = changed.after
        state.logger.notice("correction \(resolved.state.rawValue)", metadata: [
            "tongban.correction": .string(id), "tongban.peer": .string(resolved.peer)])
        try await audit(resolved, operatorId: resolution.operatorId, state: state)
        return resolved
    }

    /// Withdraws one of this province's corrections: the provider, which holds the state, is asked and answers with the
    /// correction withdrawn (or with its outcome, if it came first).
    static func withdraw(_ id: String, _ statement: CorrectionStatement, state: GatewayState) async throws -> Correction {
        guard let stored = try await state.store.correction(id: id) else { throw TongbanError(.correctionUnknown, "no correction \(id)") }
        guard stored.direction == .outgoing else {
            throw TongbanError(.correctionForbidden, "correction \(id) was requested by province \(stored.peer): only it withdraws it "
                               + "(as its provider, resolve it: tongbanctl corrections resolve \(id) --outcome … --reason …)")
        }
        guard stored.state == .submitted else { throw TongbanError(.correctionResolved, "correction \(id) was already \(stored.state.rawValue)") }
        let peer = try state.peer(try ProvinceCode(stored.peer))
        let start = ContinuousClock.now
        let response = try await state.runtime.peerClient.request(peer, method: .POST, path: CorrectionDelivery.pathPrefix + id + "/withdraw",
                                                                   json: try JSONCoding.encoder().encode(statement))
        let update = response.status == 200 ? try? JSONCoding.decoder().decode(CorrectionUpdate.self, from: response.body) : nil
        let refusal = update == nil ? PeerClient.refusal(peer, status: response.status, body: response.body) : nil
        var requester = stored.requester
        requester.operatorId = statement.operatorId
        try await state.appendAudit(CorrectionAudit.call(
            response, peer: peer.code.rawValue, id: id, requester: requester, resource: stored.resource, subject: stored.subject, field: stored.field,
            decision: update?.state.rawValue ?? "deny", reasonCode: refusal?.code.rawValue ?? CorrectionAudit.reasonCode(update?.state ?? .withdrawn),
            elapsed: ContinuousClock.now - start, state: state))
        guard let update else {
            if refusal?.code == .correctionResolved { await CorrectionDelivery.pull(stored, state: state) }
            throw refusal ?? TongbanError(.peerUnreachable, "peer \(peer.code) answered the withdrawal without the correction")
        }
        let changed = try await state.store.updateCorrection(id) { correction throws(TongbanError) in
            var next = try correction.mirroring(update, from: peer.code)
            next?.resolvedBy = statement.operatorId
            return next
        }
        return changed?.after ?? stored
    }

    /// The audit entry of a change made on this side; a change that cannot be audited is reported (it is made).
    static func audit(_ correction: Correction, operatorId: String?, state: GatewayState) async throws {
        do { try await state.appendAudit(CorrectionAudit.transition(correction, operatorId: operatorId, state: state)) } catch {
            state.logger.error("correction \(correction.id) is \(correction.state.rawValue), but its audit entry could not be written",
                               metadata: ["tongban.code": .string(error.code.rawValue)])
            throw TongbanError(.auditUnavailable, "correction \(correction.id) is \(correction.state.rawValue), but the audit log could not record it: "
                               + "\(error.message)")
        }
    }
}
