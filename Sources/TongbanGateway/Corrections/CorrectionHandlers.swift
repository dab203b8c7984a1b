import Foundation
import Hummingbird
import Logging
import NIOHTTP1
import TongbanConfig
import TongbanCore
import TongbanSigning
import TongbanStore

/// The correction endpoints of the peer listener. On the provider: `POST /v1/corrections` (a submission),
/// `GET /v1/corrections/{id}` (the requester's pull) and `POST /v1/corrections/{id}/withdraw`. On the requester:
/// `POST /v1/corrections/{id}/outcome` (the provider's push). Each leaves an audit draft, refusals included, that the
/// response signer writes with the signatures; a pull is not audited.
enum CorrectionHandlers {
    static func submit(_ request: Request, context: PeerRequestContext, state: GatewayState) async throws -> Response {
        let caller = try ApplicationHandlers.caller(context)
        let collected = try await request.body.collect(upTo: state.configuration.maxDecompressedBytes)
        let body = Data(collected.readableBytesView)
        let submission = try RequestJSON.decode(CorrectionSubmission.self, from: collected, what: "a correction")
        var subject = submission.subject.uppercased()
        func record(_ decision: String, _ reasonCode: String) {
            draft(context, state: state, id: submission.id, requester: submission.requester, resource: submission.resource, subject: subject,
                  field: submission.field, decision: decision, reasonCode: reasonCode)
        }
        do { subject = try submission.check(resource: await state.catalogue.resource(submission.resource), caller: caller) } catch {
            record("deny", error.code.rawValue)
            throw error
        }
        let runtime = state.runtime
        let received = state.applicationReceivedAt()
        let count = runtime.calendar.addingWorkingDays(runtime.configuration.corrections.answerWorkingDays, to: CalendarDay(chinaDateOf: received))
        if let warning = count.warning {
            context.logger.warning("correction due date counted without the holiday arrangements: \(warning)",
                                   metadata: ["tongban.correction": .string(submission.id), "tongban.calendar": .string(runtime.calendar.source)])
        }
        let current = try await state.store.fieldState(resource: submission.resource, subject: subject, field: submission.field)
        let correction = Correction(id: submission.id, direction: .incoming, peer: caller.rawValue, submission: submission, subject: subject,
                                    receivedAt: received, dueDate: count.day, calendarWarning: count.warning, valueAtReceipt: current?.value,
                                    documentDigest: CorrectionAudit.digest(body))
        if let existing = try await state.store.insertCorrection(correction) {
            guard existing.direction == .incoming, existing.peer == caller.rawValue, existing.submission == correction.submission else {
                let error = TongbanError(.correctionDuplicate, "correction id \(submission.id) is already used by another correction")
                record("deny", error.code.rawValue)
                throw error
            }
            record(existing.state.rawValue, "tongban.correction.repeated")
            return try JSONResponse(receipt(existing), status: .created).response(from: request, context: context)
        }
        record(CorrectionState.submitted.rawValue, CorrectionAudit.reasonCode(.submitted))
        context.logger.notice("correction received", metadata: [
            "tongban.correction": .string(correction.id), "tongban.peer": .string(caller.rawValue), "tongban.due": .string(count.day.description)])
        return try JSONResponse(receipt(correction), status: .created).response(from: request, context: context)
    }

    static func show(_ request: Request, context: PeerRequestContext, state: GatewayState) async throws -> Response {
        let caller = try ApplicationHandlers.caller(context)
        let id = context.parameters.get("id") ?? ""
        // Another province learns nothing about a correction that is not its own, not even that it exists.
        guard let correction = try await state.store.correction(id: id), correction.direction == .incoming, correction.peer == caller.rawValue else {
            throw TongbanError(.correctionUnknown, "no correction \(id.prefix(40)) from province \(caller)")
        }
        return try JSONResponse(correction.update).response(from: request, context: context)
    }

    static func withdraw(_ request: Request, context: PeerRequestContext, state: GatewayState) async throws -> Response {
        let caller = try ApplicationHandlers.caller(context)
        let id = context.parameters.get("id") ?? ""
        let statement = try await ApplicationHandlers.decode(CorrectionStatement.self, request, state: state)
        let stored = try await state.store.correction(id: id)
        func record(_ decision: String, _ reasonCode: String) {
            draft(context, state: state, id: id, requester: stored?.requester ?? Requester(departmentCode: "", departmentName: "", operatorId: statement.operatorId),
                  resource: stored?.resource ?? "", subject: stored?.subject ?? "", field: stored?.field ?? "", decision: decision, reasonCode: reasonCode)
        }
        do {
            guard let stored, stored.direction == .incoming else { throw TongbanError(.correctionUnknown, "no correction \(id.prefix(40))") }
            guard stored.peer == caller.rawValue else {
                throw TongbanError(.correctionForbidden, "only province \(stored.peer), which requested it, withdraws correction \(id)")
            }
            let now = Date()
            let changed = try await state.store.updateCorrection(id, at: now) { correction throws(TongbanError) in
                try correction.applying(.withdraw(reason: statement.reason, by: statement.operatorId), at: now)
            }
            let current = changed?.after ?? stored
            record(current.state.rawValue, CorrectionAudit.reasonCode(current.state))
            context.logger.notice("correction withdrawn by its requester", metadata: ["tongban.correction": .string(id), "tongban.peer": .string(caller.rawValue)])
            return try JSONResponse(current.update).response(from: request, context: context)
        } catch let error as TongbanError {
            record("deny", error.code.rawValue)
            throw error
        }
    }

    /// The provider's outcome, pushed. Applied once; the same outcome again is answered as applied, a different one refused.
    static func outcome(_ request: Request, context: PeerRequestContext, state: GatewayState) async throws -> Response {
        let caller = try ApplicationHandlers.caller(context)
        let id = context.parameters.get("id") ?? ""
        let update = try await ApplicationHandlers.decode(CorrectionUpdate.self, request, state: state)
        let stored = try await state.store.correction(id: id)
        func record(_ decision: String, _ reasonCode: String) {
            draft(context, state: state, id: id, requester: stored?.requester ?? Requester(departmentCode: "", departmentName: "", operatorId: ""),
                  resource: stored?.resource ?? "", subject: stored?.subject ?? "", field: stored?.field ?? "", decision: decision, reasonCode: reasonCode)
        }
        do {
            guard update.id == id else { throw TongbanError(.requestInvalid, "the outcome is for correction \(update.id.prefix(40)), not \(id.prefix(40))") }
            let changed = try await state.store.updateCorrection(id) { correction throws(TongbanError) in
                try correction.mirroring(update, from: caller)
            }
            guard let current = changed?.after ?? stored else { throw TongbanError(.correctionUnknown, "no correction \(id.prefix(40))") }
            record(current.state.rawValue, changed == nil ? "tongban.correction.repeated" : CorrectionAudit.reasonCode(current.state))
            if changed != nil {
                context.logger.notice("correction resolved by its provider", metadata: [
                    "tongban.correction": .string(id), "tongban.peer": .string(caller.rawValue), "tongban.state": .string(current.state.rawValue)])
            }
            return try JSONResponse(current.update).response(from: request, context: context)
        } catch let error as TongbanError {
            record("deny", error.code.rawValue)
            throw error
        }
    }

    static func receipt(_ correction: Correction) -> CorrectionReceipt {
        CorrectionReceipt(id: correction.id, state: correction.state, receivedAt: correction.receivedAt, dueDate: correction.dueDate,
                          calendarWarning: correction.calendarWarning)
    }

    static func draft(_ context: PeerRequestContext, state: GatewayState, id: String, requester: Requester, resource: String, subject: String,
                      field: String, decision: String, reasonCode: String) {
        let signed = context.signedRequest
        let digest = CorrectionAudit.subject(subject, state: state)
        context.audit?.draft = AuditEntry(
            direction: .inbound, requestId: signed?.view.field(TongbanProfile.requestIDField) ?? "", peer: context.peerProvince?.rawValue ?? "",
            endpoint: CorrectionAudit.endpoint(id), departmentCode: requester.departmentCode, departmentName: requester.departmentName,
            operatorId: requester.operatorId, matter: "", resource: resource, subjectCount: subject.isEmpty ? 0 : 1,
            subjectDigest: subject.isEmpty ? "" : digest.digest, fields: field.isEmpty ? [] : [field], decision: decision, reasonCode: reasonCode,
            status: 0,
            requestSignature: signed.map { ($0.view.field(SignatureFields.inputName) ?? "") + " " + ($0.view.field(SignatureFields.signatureName) ?? "") } ?? "",
            responseSignature: "", bytes: 0, latencyMilliseconds: 0, hashAlgorithm: digest.algorithm.entryLabel)
    }
}
