import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanStore

/// The admin socket's exchange routes: matters, grants, the audit log, and queries to peers made in this
/// gateway's name (each recorded as an outbound audit entry, the requester's record of use).
enum AdminExchangeRoutes {
    static func add(to router: Router<BasicRequestContext>, state: GatewayState) {
        router.get("/v1/matters") { _, _ in JSONResponse(state.matters) }

        router.get("/v1/grants") { _, _ in
            let now = Date()
            return JSONResponse(try await state.store.grants().map { GrantListing($0, at: now) })
        }
        router.post("/v1/grants") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            let wanted: GrantRequest
            do { wanted = try JSONCoding.decoder().decode(GrantRequest.self, from: Data(body.readableBytesView)) } catch {
                throw TongbanError(.requestInvalid, "the body is not a grant request: \(error)")
            }
            let configuration = state.configuration
            let grant = try wanted.grant(id: Grant.newID(), resource: await state.catalogue.resource(wanted.resource), matters: state.matters,
                                         province: configuration.province, peers: state.memberEndpoints().map(\.endpoint.code))
            if let active = try await state.store.addGrant(grant) {
                throw TongbanError(.requestInvalid, "grant \(active.id) already lets province \(active.peer) obtain \(active.resource) for matter "
                                   + "\(active.matter) until \(ISO8601.string(active.validUntil)): one active grant at a time; to change it, "
                                   + "tongbanctl grant revoke \(active.id), then grant again")
            }
            return JSONResponse(grant)
        }
        router.post("/v1/grants/:id/revoke") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard try await state.store.revokeGrant(id) else { throw TongbanError(.notFound, "no active grant \(id)") }
            return JSONResponse(["revoked": id])
        }

        router.get("/v1/audit/verify") { _, _ in
            JSONResponse(AuditChain.verify(try await state.store.auditEntries()))
        }
        router.get("/v1/audit") { request, _ in
            let q = request.uri.queryParameters
            // A bound that cannot be read is a 400, never ignored (which would answer the whole log).
            let filter = try AuditQuery(since: q.get("since").map { String($0) }, until: q.get("until").map { String($0) },
                                        direction: q.get("direction").map { String($0) })
            var last: Int?
            if let text = q.get("last") {
                guard let number = Int(String(text)), number > 0 else { throw TongbanError(.requestInvalid, "last must be a positive whole number") }
                last = number
            }
            return JSONResponse(try await state.store.auditEntries(
                requestId: q.get("request").map { String($0) }, since: filter.since, until: filter.until, direction: filter.direction, last: last))
        }

        // The usage report (使用记录): summed by the audit store, never by reading the entries here.
        router.get("/v1/usage") { request, _ in
            let q = request.uri.queryParameters
            let range = try AuditQuery(since: q.get("since").map { String($0) }, until: q.get("until").map { String($0) },
                                       direction: q.get("direction").map { String($0) })
            let query = UsageQuery(range: range, peer: q.get("peer").map { String($0) }.flatMap { $0.isEmpty ? nil : $0 },
                                   department: q.get("department").map { String($0) }.flatMap { $0.isEmpty ? nil : $0 })
            return JSONResponse(try await state.store.usage(query))
        }

        router.post("/v1/outbound/:endpoint") { request, context in
            guard let code = request.uri.queryParameters.get("peer") else { throw TongbanError(.peerUnknown, "name a configured peer with ?peer=CODE") }
            let body = Data(try await request.body.collect(upTo: 16 << 20).readableBytesView)
            let call = try OutboundCall(endpoint: context.parameters.get("endpoint") ?? "", body: body)
            let reply = try await OutboundExchange.perform(state: state, peer: String(code), call: call)
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: reply.resultJSON)))
        }
    }
}
