import Foundation
import Hummingbird
import TongbanConfig
import TongbanCore
import TongbanStore

/// The admin socket's correction routes (`tongbanctl correction request`, `tongbanctl corrections …`): request a
/// correction of a peer's record, list and show both directions, resolve incoming ones, withdraw this province's own.
enum AdminCorrectionRoutes {
    static func add(to router: Router<BasicRequestContext>, state: GatewayState) {
        router.post("/v1/corrections") { request, _ in
            let draft = try await AdminApplicationRoutes.decode(CorrectionDraft.self, request)
            return JSONResponse(listing(try await CorrectionWorkflow.request(draft, state: state)))
        }
        router.get("/v1/corrections") { request, _ in
            let q = request.uri.queryParameters
            var direction: CorrectionDirection?
            if let text = q.get("direction") {
                guard let parsed = CorrectionDirection(rawValue: String(text)) else {
                    throw TongbanError(.requestInvalid, "direction is incoming or outgoing, not \(text)")
                }
                direction = parsed
            }
            var wanted: CorrectionState?
            if let text = q.get("state") {
                guard let parsed = CorrectionState(rawValue: String(text)) else {
                    throw TongbanError(.requestInvalid, "state is one of \(CorrectionState.allCases.map(\.rawValue).joined(separator: ", ")), not \(text)")
                }
                wanted = parsed
            }
            let listings = try await state.store.corrections(direction: direction, state: wanted).map(listing)
            return JSONResponse(q.get("overdue") != nil ? listings.filter(\.overdue) : listings)
        }
        router.get("/v1/corrections/:id") { _, context in
            let id = try self.id(context)
            guard let correction = try await state.store.correction(id: id) else { throw TongbanError(.correctionUnknown, "no correction \(id)") }
            return JSONResponse(listing(correction))
        }
        router.post("/v1/corrections/:id/resolve") { request, context in
            let resolution = try await AdminApplicationRoutes.decode(CorrectionResolution.self, request)
            return JSONResponse(listing(try await CorrectionWorkflow.resolve(try self.id(context), resolution, state: state)))
        }
        router.post("/v1/corrections/:id/withdraw") { request, context in
            let statement = try await AdminApplicationRoutes.decode(CorrectionStatement.self, request)
            return JSONResponse(listing(try await CorrectionWorkflow.withdraw(try self.id(context), statement, state: state)))
        }
    }

    static func listing(_ correction: Correction) -> CorrectionListing {
        CorrectionListing(correction, today: CalendarDay(chinaDateOf: Date()))
    }

    static func id(_ context: BasicRequestContext) throws -> String {
        let id = context.parameters.get("id") ?? ""
        guard CorrectionID.isWellFormed(id) else { throw TongbanError(.correctionUnknown, "no correction \(id.prefix(40)): ids look like C-11-0123456789abcdef") }
        return id
    }
}
