import Foundation
import Hummingbird
import HTTPTypes
import TongbanConfig
import TongbanCore

/// The local API for department systems: plain JSON in and out; the gateway adds the department as the
/// requester, signs, forwards, verifies the answer and records it.
enum LocalExchangeRoutes {
    /// What a department sends: a query or verify without the requester, plus who operates.
    struct LocalBody: Decodable {
        var operatorId: String?
    }

    static func add(to router: Router<BasicRequestContext>, state: GatewayState) {
        for endpoint in ["query", "verify"] {
            router.post("/local/v1/peers/:province/\(endpoint)") { request, context in
                guard let department = DepartmentContext.current else { throw Problem(status: 401, code: "tongban.local.unauthorized") }
                let raw = Data(try await request.body.collect(upTo: state.configuration.maxRequestBodyBytes).readableBytesView)
                guard case .object(var object)? = try? JSONDecoder().decode(JSONValue.self, from: raw) else {
                    throw Problem(status: 400, code: "tongban.request.invalid", detail: "the body must be a JSON object")
                }
                let operatorId: String = if case .string(let id)? = object["operatorId"] { id } else { request.headers[HTTPField.Name("Tongban-Operator")!] ?? "unknown" }
                object["operatorId"] = nil
                object["requester"] = ["departmentCode": .string(department.code), "departmentName": .string(department.name), "operatorId": .string(operatorId)]
                let result = try await OutboundExchange.perform(state: state, peer: context.parameters.get("province") ?? "", endpoint: endpoint,
                                                                body: Data(JSONValue.object(object).canonicalText.utf8))
                var response = try JSONResponse(result.answer, status: .init(code: result.status)).response(from: request, context: context)
                response.headers[RequestID.headerName] = result.requestId
                return response
            }
        }
        router.get("/local/v1/catalogues") { _, _ in
            JSONResponse(try await state.catalogueListings(peers: state.configuration.peers, includeLocal: true))
        }
    }
}
