import Foundation
import NIOHTTP1
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanStore

/// A query or verify sent to a peer in this gateway's name — from `tongbanctl` (admin socket) or a
/// department system (local API): signed, the answer verified, and recorded as an outbound audit entry (the
/// requester's record of use) before it is handed on. A peer that is down or slow is a 502 or 504.
enum OutboundExchange {
    static func perform(state: GatewayState, peer code: String, endpoint: String, body: Data) async throws -> OutboundResult {
        guard ["query", "verify"].contains(endpoint) else { throw TongbanError(.notFound, "no outbound endpoint \(endpoint)") }
        let runtime = state.runtime
        guard let peer = runtime.configuration.peer(try ProvinceCode(code)) else {
            throw TongbanError(.peerUnknown, "province \(code) is not a configured peer")
        }
        let (requester, matter, resource, subjects): (Requester, String, String, [String])
        do { (requester, matter, resource, subjects) = try summary(endpoint: endpoint, body: body) } catch {
            throw TongbanError("tongban.request.invalid", "the body is not a valid \(endpoint) request: \(error)")
        }
        let start = ContinuousClock.now
        let answer: PeerResponse
        do { answer = try await runtime.peerClient.request(peer, method: .POST, path: "/v1/" + endpoint, json: body) } catch {
            // No answer (unreachable, timeout, open circuit, refused signature): counted with the status the caller gets.
            state.metrics.exchange(peer: peer.code.rawValue, endpoint: endpoint, direction: .outbound, status: Problem(error, requestId: nil).status,
                                   duration: ContinuousClock.now - start, wireBytes: 0, uncompressedBytes: 0, records: 0)
            throw error
        }
        let elapsed = ContinuousClock.now - start
        let value = (try? JSONDecoder().decode(JSONValue.self, from: answer.body)) ?? .null
        let problem = value["code"].flatMap { if case .string(let s) = $0 { s } else { nil } }
        state.metrics.exchange(peer: peer.code.rawValue, endpoint: endpoint, direction: .outbound, status: answer.status, duration: elapsed,
                               wireBytes: answer.wireBytes, uncompressedBytes: answer.body.count,
                               records: answer.status == 200 ? obtained(value) : 0)
        try await state.appendAudit(AuditEntry(
            direction: .outbound, requestId: answer.requestID, peer: peer.code.rawValue, endpoint: endpoint,
            departmentCode: requester.departmentCode, departmentName: requester.departmentName, operatorId: requester.operatorId,
            matter: matter, resource: resource, subjectCount: subjects.count, subjectDigest: AuditChain.subjectDigest(subjects, secret: state.auditSecret),
            fields: answer.status == 200 ? returnedFields(value) : [], decision: answer.status == 200 ? "allow" : "deny",
            reasonCode: problem ?? "ok", status: answer.status, requestSignature: answer.requestSignature, responseSignature: answer.responseSignature,
            bytes: answer.body.count, latencyMilliseconds: Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15))
        return OutboundResult(peer: peer.code.rawValue, status: answer.status, requestId: answer.requestID, answer: value)
    }

    static func summary(endpoint: String, body: Data) throws -> (Requester, String, String, [String]) {
        if endpoint == "query" {
            let query = try JSONCoding.decoder().decode(QueryRequest.self, from: body)
            return (query.requester, query.matter, query.resource, query.subjects.map { $0.uppercased() })
        }
        let verify = try JSONCoding.decoder().decode(VerifyRequest.self, from: body)
        return (verify.requester, verify.matter, verify.resource, [verify.subject.uppercased()])
    }

    /// Records an answer carries: a query's records, or the one subject a verify found.
    static func obtained(_ answer: JSONValue) -> Int {
        if case .array(let records)? = answer["records"] { return records.count }
        if case .bool(true)? = answer["found"] { return 1 }
        return 0
    }

    static func returnedFields(_ answer: JSONValue) -> [String] {
        if case .array(let records)? = answer["records"], case .object(let fields)? = records.first?["fields"] { return fields.keys.sorted() }
        if case .object(let results)? = answer["results"] { return results.keys.sorted() }
        return []
    }
}
