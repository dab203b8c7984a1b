import Foundation
import Hummingbird
import Logging
import NIOCore
import TongbanConfig
import TongbanCore
import TongbanStore

/// `POST /v1/records/set` on the admin socket (`tongbanctl records set`): changes one field of one stored record by
/// writing the whole record again through the import (one JSON line: the stored fields with that one replaced), so every
/// import check applies and the record's `updated_at` moves only if a value changed. What a correction's `corrected`
/// can rest on, beside an import (docs/workflows.md, "Corrections"). The log names the resource and field, never a value.
enum AdminRecordRoutes {
    static func add(to router: Router<BasicRequestContext>, state: GatewayState) {
        router.post("/v1/records/set") { request, _ in
            let edit = try await AdminApplicationRoutes.decode(RecordEdit.self, request)
            let report = try await set(edit, state: state)
            return JSONResponse(report, status: report.ok ? .ok : .unprocessableContent)
        }
    }

    static func set(_ edit: RecordEdit, state: GatewayState) async throws -> ImportReport {
        guard let resource = await state.catalogue.resource(edit.resource) else {
            throw TongbanError(.resourceUnknown, "no resource \(edit.resource) in this province's directory")
        }
        guard let field = resource.field(edit.field) else { throw TongbanError(.requestInvalid, "field \(edit.field) does not exist in resource \(resource.code)") }
        guard field.name != resource.subjectField else {
            throw TongbanError(.requestInvalid, "field \(field.name) is the record's subject: import the record under its right subject instead")
        }
        let subject: String
        do { subject = try CitizenID(edit.subject).value } catch {
            throw TongbanError(.subjectInvalid, "the subject is not a valid citizen ID number (\(error.citizenIDFailure?.rawValue ?? "format"))")
        }
        guard let stored = try await state.store.records(resource: resource.code, subjects: [subject])[subject],
              case .object(var fields) = try JSONValue.parse(stored.fieldsJSON) else {
            throw TongbanError(.notFound, "resource \(resource.code) holds no record of this subject: import it")
        }
        let value: JSONValue
        switch field.type {
        case _ where edit.value.isEmpty: value = .null
        // The text as JSON when it is one (12, 3.5, true); anything else stays text, which the import refuses for these types.
        case .integer, .decimal, .boolean: value = (try? JSONValue.parse(edit.value)) ?? .string(edit.value)
        case .string, .date, .code: value = .string(edit.value)
        }
        fields[field.name] = value
        let line = JSONValue.object(fields).canonicalText + "\n"
        let report = try await RecordImporter(store: state.store).run(resource: resource, format: .jsonl, data: ByteBuffer(string: line))
        if report.ok {
            state.logger.notice("record edited", metadata: ["tongban.resource": .string(resource.code), "tongban.field": .string(field.name),
                                                            "tongban.changed": .string(report.updated > 0 ? "yes" : "no")])
        }
        return report
    }
}
