import Foundation
import Hummingbird
import NIOHTTP1
import TongbanConfig
import TongbanCore
import TongbanStore

/// The admin socket's application routes (`tongbanctl apply`, `tongbanctl applications …`): apply to a peer, list
/// and show both directions, approve and refuse incoming applications, withdraw this province's own.
enum AdminApplicationRoutes {
    static func add(to router: Router<BasicRequestContext>, state: GatewayState) {
        router.post("/v1/applications") { request, _ in
            let draft = try await decode(ApplicationDraft.self, request)
            return JSONResponse(listing(try await ApplicationWorkflow.apply(draft, state: state)))
        }
        router.get("/v1/applications") { request, _ in
            let q = request.uri.queryParameters
            var direction: ApplicationDirection?
            if let text = q.get("direction") {
                guard let parsed = ApplicationDirection(rawValue: String(text)) else {
                    throw TongbanError(.requestInvalid, "direction is incoming or outgoing, not \(text)")
                }
                direction = parsed
            }
            var wanted: ApplicationState?
            if let text = q.get("state") {
                guard let parsed = ApplicationState(rawValue: String(text)) else {
                    throw TongbanError(.requestInvalid, "state is one of \(ApplicationState.allCases.map(\.rawValue).joined(separator: ", ")), not \(text)")
                }
                wanted = parsed
            }
            let overdueOnly = q.get("overdue") != nil
            let listings = try await state.store.applications(direction: direction, state: wanted).map(listing)
            return JSONResponse(overdueOnly ? listings.filter(\.overdue) : listings)
        }
        router.get("/v1/applications/:id") { _, context in
            let id = try self.id(context)
            guard let application = try await state.store.application(id: id) else { throw TongbanError(.applicationUnknown, "no application \(id)") }
            return JSONResponse(listing(application))
        }
        router.post("/v1/applications/:id/approve") { request, context in
            let approval = try await decode(ApplicationApproval.self, request)
            return JSONResponse(listing(try await ApplicationWorkflow.approve(try self.id(context), approval, state: state)))
        }
        router.post("/v1/applications/:id/refuse") { request, context in
            let statement = try await decode(ApplicationStatement.self, request)
            return JSONResponse(listing(try await ApplicationWorkflow.refuse(try self.id(context), statement, state: state)))
        }
        router.post("/v1/applications/:id/withdraw") { request, context in
            let statement = try await decode(ApplicationStatement.self, request)
            return JSONResponse(listing(try await ApplicationWorkflow.withdraw(try self.id(context), statement, state: state)))
        }
    }

    static func listing(_ application: SharingApplication) -> ApplicationListing {
        ApplicationListing(application, today: CalendarDay(chinaDateOf: Date()))
    }

    static func id(_ context: BasicRequestContext) throws -> String {
        let id = context.parameters.get("id") ?? ""
        guard ApplicationID.isWellFormed(id) else { throw TongbanError(.applicationUnknown, "no application \(id.prefix(40)): ids look like A-11-0123456789abcdef") }
        return id
    }

    static func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        let body = try await request.body.collect(upTo: 1 << 20)
        do { return try JSONCoding.decoder().decode(T.self, from: Data(body.readableBytesView)) } catch {
            throw TongbanError(.requestInvalid, "the body is not a valid \(T.self): \(error)")
        }
    }
}
