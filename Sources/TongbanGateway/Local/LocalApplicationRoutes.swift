import Foundation
import HTTPTypes
import Hummingbird
import NIOHTTP1
import TongbanConfig
import TongbanCore
import TongbanStore

/// The local API's applications, for department systems: `POST /local/v1/applications` applies to a peer in the
/// department's name (`peer`, `resource`, `matter`, `fields`, `purpose`, `basis`, `days`, `contact`, `operatorId`);
/// `GET /local/v1/applications` (the department's own, with `overdue`), `GET /local/v1/applications/{id}` and `POST /local/v1/applications/{id}/withdraw` reach only the department's
/// own applications.
enum LocalApplicationRoutes {
    static func add(to local: RouterGroup<BasicRequestContext>, state: GatewayState) {
        local.post("/v1/applications") { request, _ in
            let department = try self.department()
            let raw = try await request.body.collect(upTo: 1 << 20)
            guard case .object(var object)? = raw.withUnsafeReadableBytes({ JSONValue.parseUnambiguous($0) }) else {
                throw Problem(.requestInvalid, detail: "the body must be a JSON object")
            }
            let operatorId = operatorOf(object, request)
            object["operatorId"] = nil
            if object["fields"] == nil { object["fields"] = .array([]) }
            object["requester"] = ["departmentCode": .string(department.code), "departmentName": .string(department.name), "operatorId": .string(operatorId)]
            let draft: ApplicationDraft
            do { draft = try JSONCoding.decoder().decode(ApplicationDraft.self, from: Data(JSONValue.object(object).canonicalText.utf8)) } catch {
                throw Problem(.requestInvalid, detail: "the body is not an application: \(error)")
            }
            let application = try await ApplicationWorkflow.apply(draft, state: state)
            return JSONResponse(AdminApplicationRoutes.listing(application), status: .created)
        }
        local.get("/v1/applications") { _, _ in
            let department = try self.department()
            return JSONResponse(try await state.store.applications(direction: .outgoing)
                .filter { $0.requester.departmentCode == department.code }.map(AdminApplicationRoutes.listing))
        }
        local.get("/v1/applications/:id") { _, context in
            JSONResponse(AdminApplicationRoutes.listing(try await own(try AdminApplicationRoutes.id(context), state: state)))
        }
        local.post("/v1/applications/:id/withdraw") { request, context in
            let application = try await own(try AdminApplicationRoutes.id(context), state: state)
            let raw = try await request.body.collect(upTo: 1 << 20)
            var reason: String?
            if case .object(let object)? = raw.withUnsafeReadableBytes({ JSONValue.parseUnambiguous($0) }), case .string(let text)? = object["reason"] {
                reason = text
            }
            let statement = ApplicationStatement(reason: reason, operatorId: request.headers[HTTPField.Name("Tongban-Operator")!] ?? "unknown")
            return JSONResponse(AdminApplicationRoutes.listing(try await ApplicationWorkflow.withdraw(application.id, statement, state: state)))
        }
    }

    static func department() throws -> GatewayConfiguration.Department {
        guard let department = DepartmentContext.current else { throw Problem(.localUnauthorized) }
        return department
    }

    static func operatorOf(_ object: [String: JSONValue], _ request: Request) -> String {
        if case .string(let id)? = object["operatorId"] { return id }
        return request.headers[HTTPField.Name("Tongban-Operator")!] ?? "unknown"
    }

    /// One of the department's own applications; any other is unknown to it.
    static func own(_ id: String, state: GatewayState) async throws -> SharingApplication {
        let department = try self.department()
        guard let application = try await state.store.application(id: id), application.direction == .outgoing,
              application.requester.departmentCode == department.code else {
            throw TongbanError(.applicationUnknown, "no application \(id) of department \(department.code)")
        }
        return application
    }
}
