import Foundation
import Hummingbird
import TongbanConfig
import TongbanCore
import TongbanStore

/// The local API's corrections, for department systems: `POST /local/v1/corrections` flags a field of a peer's record
/// in the department's name (`peer`, `resource`, `subject`, `field`, `seen`, `claimed`, `evidence`, `operatorId`);
/// `GET /local/v1/corrections` and `GET /local/v1/corrections/{id}` reach only the department's own corrections.
enum LocalCorrectionRoutes {
    static func add(to local: RouterGroup<BasicRequestContext>, state: GatewayState) {
        local.post("/v1/corrections") { request, _ in
            let department = try LocalApplicationRoutes.department()
            let raw = try await request.body.collect(upTo: 1 << 20)
            guard case .object(var object)? = raw.withUnsafeReadableBytes({ JSONValue.parseUnambiguous($0) }) else {
                throw Problem(.requestInvalid, detail: "the body must be a JSON object")
            }
            let operatorId = LocalApplicationRoutes.operatorOf(object, request)
            object["operatorId"] = nil
            object["requester"] = ["departmentCode": .string(department.code), "departmentName": .string(department.name), "operatorId": .string(operatorId)]
            let draft: CorrectionDraft
            do { draft = try JSONCoding.decoder().decode(CorrectionDraft.self, from: Data(JSONValue.object(object).canonicalText.utf8)) } catch {
                throw Problem(.requestInvalid, detail: "the body is not a correction: \(error)")
            }
            return JSONResponse(AdminCorrectionRoutes.listing(try await CorrectionWorkflow.request(draft, state: state)), status: .created)
        }
        local.get("/v1/corrections") { _, _ in
            let department = try LocalApplicationRoutes.department()
            return JSONResponse(try await state.store.corrections(direction: .outgoing)
                .filter { $0.requester.departmentCode == department.code }.map(AdminCorrectionRoutes.listing))
        }
        local.get("/v1/corrections/:id") { _, context in
            let department = try LocalApplicationRoutes.department()
            let id = try AdminCorrectionRoutes.id(context)
            guard let correction = try await state.store.correction(id: id), correction.direction == .outgoing,
                  correction.requester.departmentCode == department.code else {
                throw TongbanError(.correctionUnknown, "no correction \(id) of department \(department.code)")
            }
            return JSONResponse(AdminCorrectionRoutes.listing(correction))
        }
    }
}
