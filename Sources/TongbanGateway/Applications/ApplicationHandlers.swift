import Foundation
import Hummingbird
import Logging
import NIOHTTP1
import TongbanConfig
import TongbanCore
import TongbanSigning
import TongbanStore

/// The application endpoints of the peer listener. On the provider: `POST /v1/applications` (a submission),
/// `GET /v1/applications/{id}` (the requester's pull) and `POST /v1/applications/{id}/withdraw`. On the requester:
/// `POST /v1/applications/{id}/decision` (the provider's push). Each leaves an audit draft, refusals included, that
/// the response signer writes with the signatures; a pull that changes nothing is not audited.
enum ApplicationHandlers {
    static func submit(_ request: Request, context: PeerRequestContext, state: GatewayState) async throws -> Response {
        let caller = try self.caller(context)
        let collected = try await request.body.collect(upTo: state.configuration.maxDecompressedBytes)
        let body = Data(collected.readableBytesView)
        let submission = try RequestJSON.decode(ApplicationSubmission.self, from: collected, what: "an application")
        let digest = ApplicationAudit.digest(body)
        func record(_ decision: String, _ reasonCode: String, fields: [String]) {
            draft(context, id: submission.id, requester: submission.requester, matter: submission.matter, resource: submission.resource,
                  digest: digest, fields: fields, decision: decision, reasonCode: reasonCode)
        }
        let fields: [String]
        do {
            fields = try submission.check(resource: await state.catalogue.resource(submission.resource), matters: state.matters, caller: caller)
        } catch {
            record("deny", error.code.rawValue, fields: [])
            throw error
        }
        let runtime = state.runtime
        let received = state.applicationReceivedAt()
        let count = runtime.calendar.addingWorkingDays(runtime.configuration.applications.answerWorkingDays, to: CalendarDay(chinaDateOf: received))
        if let warning = count.warning {
            context.logger.warning("application due date counted without the holiday arrangements: \(warning)",
                                   metadata: ["tongban.application": .string(submission.id), "tongban.calendar": .string(runtime.calendar.source)])
        }
        let application = SharingApplication(id: submission.id, direction: .incoming, peer: caller.rawValue, submission: submission, fields: fields,
                                      receivedAt: received, dueDate: count.day, expiresAt: received.addingTimeInterval(Double(submission.days) * 86_400),
                                      calendarWarning: count.warning, documentDigest: digest)
        if let existing = try await state.store.insertApplication(application) {
            guard existing.direction == .incoming, existing.peer == caller.rawValue, existing.submission == application.submission else {
                let error = TongbanError(.applicationDuplicate, "application id \(submission.id) is already used by another application")
                record("deny", error.code.rawValue, fields: [])
                throw error
            }
            // The same submission again (its answer was lost): the same receipt, and the repeat on record.
            record(existing.state.rawValue, "tongban.application.repeated", fields: existing.fields)
            return try JSONResponse(receipt(existing), status: .created).response(from: request, context: context)
        }
        record(ApplicationState.submitted.rawValue, ApplicationAudit.reasonCode(.submitted), fields: fields)
        context.logger.notice("application received", metadata: [
            "tongban.application": .string(application.id), "tongban.peer": .string(caller.rawValue), "tongban.due": .string(count.day.description)])
        return try JSONResponse(receipt(application), status: .created).response(from: request, context: context)
    }

    static func show(_ request: Request, context: PeerRequestContext, state: GatewayState) async throws -> Response {
        let caller = try self.caller(context)
        let id = context.parameters.get("id") ?? ""
        // Another province learns nothing about an application that is not its own, not even that it exists.
        guard let application = try await state.store.application(id: id), application.direction == .incoming,
              application.peer == caller.rawValue else {
            throw TongbanError(.applicationUnknown, "no application \(id.prefix(40)) from province \(caller)")
        }
        return try JSONResponse(application.update).response(from: request, context: context)
    }

    static func withdraw(_ request: Request, context: PeerRequestContext, state: GatewayState) async throws -> Response {
        let caller = try self.caller(context)
        let id = context.parameters.get("id") ?? ""
        let statement = try await decode(ApplicationStatement.self, request, state: state)
        let stored = try await state.store.application(id: id)
        func record(_ decision: String, _ reasonCode: String) {
            draft(context, id: id, requester: stored?.requester ?? Requester(departmentCode: "", departmentName: "", operatorId: statement.operatorId),
                  matter: stored?.matter ?? "", resource: stored?.resource ?? "", digest: stored?.documentDigest ?? "", fields: [],
                  decision: decision, reasonCode: reasonCode)
        }
        do {
            guard let stored, stored.direction == .incoming else { throw TongbanError(.applicationUnknown, "no application \(id.prefix(40))") }
            guard stored.peer == caller.rawValue else {
                throw TongbanError(.applicationForbidden, "only province \(stored.peer), which applied, withdraws application \(id)")
            }
            let now = Date()
            let changed = try await state.store.updateApplication(id, at: now) { application throws(TongbanError) in
                try application.applying(.withdraw(reason: statement.reason, by: statement.operatorId), at: now)
            }
            let current = changed?.after ?? stored
            record(current.state.rawValue, ApplicationAudit.reasonCode(current.state))
            context.logger.notice("application withdrawn by its requester", metadata: [
                "tongban.application": .string(id), "tongban.peer": .string(caller.rawValue)])
            return try JSONResponse(current.update).response(from: request, context: context)
        } catch let error as TongbanError {
            record("deny", error.code.rawValue)
            throw error
        }
    }

    /// The provider's decision, pushed. Applied once; the same decision again is answered as applied (the
    /// provider's outbox may send it twice), a different one is refused.
    static func decision(_ request: Request, context: PeerRequestContext, state: GatewayState) async throws -> Response {
        let caller = try self.caller(context)
        let id = context.parameters.get("id") ?? ""
        let update = try await decode(ApplicationUpdate.self, request, state: state)
        let stored = try await state.store.application(id: id)
        func record(_ decision: String, _ reasonCode: String) {
            draft(context, id: id, requester: stored?.requester ?? Requester(departmentCode: "", departmentName: "", operatorId: ""),
                  matter: stored?.matter ?? "", resource: stored?.resource ?? "", digest: stored?.documentDigest ?? "",
                  fields: update.grant?.fields ?? [], decision: decision, reasonCode: reasonCode)
        }
        do {
            guard update.id == id else { throw TongbanError(.requestInvalid, "the decision is for application \(update.id.prefix(40)), not \(id.prefix(40))") }
            let changed = try await state.store.updateApplication(id) { application throws(TongbanError) in
                try application.mirroring(update, from: caller)
            }
            guard let current = changed?.after ?? stored else { throw TongbanError(.applicationUnknown, "no application \(id.prefix(40))") }
            record(current.state.rawValue, changed == nil ? "tongban.application.repeated" : ApplicationAudit.reasonCode(current.state))
            if changed != nil {
                context.logger.notice("application decided by its provider", metadata: [
                    "tongban.application": .string(id), "tongban.peer": .string(caller.rawValue), "tongban.state": .string(current.state.rawValue)])
            }
            return try JSONResponse(current.update).response(from: request, context: context)
        } catch let error as TongbanError {
            record("deny", error.code.rawValue)
            throw error
        }
    }

    static func receipt(_ application: SharingApplication) -> ApplicationReceipt {
        ApplicationReceipt(id: application.id, state: application.state, receivedAt: application.receivedAt, dueDate: application.dueDate,
                           expiresAt: application.expiresAt, fields: application.fields, calendarWarning: application.calendarWarning)
    }

    static func caller(_ context: PeerRequestContext) throws -> ProvinceCode {
        guard let caller = context.peerProvince else { throw Problem(.identityMissing, detail: "no calling province") }
        return caller
    }

    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, state: GatewayState) async throws -> T {
        let body = try await request.body.collect(upTo: state.configuration.maxDecompressedBytes)
        return try RequestJSON.decode(T.self, from: body, what: "a valid \(T.self)")
    }

    static func draft(_ context: PeerRequestContext, id: String, requester: Requester, matter: String, resource: String, digest: String,
                      fields: [String], decision: String, reasonCode: String) {
        let signed = context.signedRequest
        context.audit?.draft = AuditEntry(
            direction: .inbound, requestId: signed?.view.field(TongbanProfile.requestIDField) ?? "", peer: context.peerProvince?.rawValue ?? "",
            endpoint: ApplicationAudit.endpoint(id), departmentCode: requester.departmentCode, departmentName: requester.departmentName,
            operatorId: requester.operatorId, matter: matter, resource: resource, subjectCount: 0, subjectDigest: digest, fields: fields,
            decision: decision, reasonCode: reasonCode, status: 0,
            requestSignature: signed.map { ($0.view.field(SignatureFields.inputName) ?? "") + " " + ($0.view.field(SignatureFields.signatureName) ?? "") } ?? "",
            responseSignature: "", bytes: 0, latencyMilliseconds: 0)
    }
}
