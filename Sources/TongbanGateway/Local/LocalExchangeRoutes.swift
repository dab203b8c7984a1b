import Foundation
import Hummingbird
import NIOCore
import HTTPTypes
import TongbanConfig
import TongbanCore

/// The local API for department systems: plain JSON in and out; the gateway adds the department as the
/// requester, signs, forwards, verifies the answer and records it.
enum LocalExchangeRoutes {
    /// The routes under `/local`, in a group whose middleware checks the token: it runs for the route the router
    /// chose, so no spelling of the path (`//local/…`, `/./local/…`, `%2F`) reaches a route without it.
    static func add(to router: Router<BasicRequestContext>, state: GatewayState) {
        let local = router.group("/local").add(middleware: DepartmentAuthMiddleware(state: state))
        for endpoint in ["query", "verify"] {
            local.post("/v1/peers/:province/\(endpoint)") { request, context in
                guard let department = DepartmentContext.current else { throw Problem(.localUnauthorized) }
                let raw = try await request.body.collect(upTo: state.configuration.maxRequestBodyBytes)
                guard case .object(var object)? = raw.withUnsafeReadableBytes({ JSONValue.parseUnambiguous($0) }) else {
                    throw Problem(.requestInvalid, detail: "the body must be a JSON object")
                }
                let operatorId: String = if case .string(let id)? = object["operatorId"] { id } else { request.headers[HTTPField.Name("Tongban-Operator")!] ?? "unknown" }
                object["operatorId"] = nil
                object["requester"] = ["departmentCode": .string(department.code), "departmentName": .string(department.name), "operatorId": .string(operatorId)]
                let call = try OutboundCall(endpoint: endpoint, json: .object(object))
                let reply = try await OutboundExchange.perform(state: state, peer: context.parameters.get("province") ?? "", call: call)
                var headers = HTTPFields()
                headers[.contentType] = "application/json"
                headers[RequestID.headerName] = reply.requestId
                return Response(status: .init(code: reply.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
            }
        }
        local.get("/v1/catalogues") { _, _ in
            JSONResponse(try await state.catalogueListings(peers: state.callablePeers().peers, includeLocal: true))
        }
        LocalApplicationRoutes.add(to: local, state: state)
        LocalCorrectionRoutes.add(to: local, state: state)
    }
}
