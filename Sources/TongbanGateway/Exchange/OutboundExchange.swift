import Foundation
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanStore

/// A query or verify sent to a peer in this gateway's name — from `tongbanctl` (admin socket) or a
/// department system (local API): signed, the answer verified and decoded once, and recorded as an outbound
/// audit entry (the requester's record of use) before it is handed on. A peer that is down or slow is a 502
/// or 504.
enum OutboundExchange {
    /// The verified answer: its status, the request id both audit logs hold, the typed answer and its bytes
    /// as the peer sent them (decoded from their content coding), which callers get unchanged.
    struct Reply {
        let peer: ProvinceCode
        let status: Int
        let requestId: String
        let answer: OutboundAnswer
        let body: Data

        /// `OutboundResult` as JSON, the answer's bytes spliced in as they are.
        var resultJSON: Data {
            var out = Data(#"{"answer":"#.utf8)
            out += body
            out += Data(#","peer":"\#(peer.rawValue)","requestId":"#.utf8)
            var id = ""
            JSONText.appendString(requestId, to: &id)
            out += Data(id.utf8)
            out += Data(#","status":\#(status)}"#.utf8)
            return out
        }
    }

    static func perform(state: GatewayState, peer code: String, call: OutboundCall) async throws -> Reply {
        let runtime = state.runtime
        // Refused here, before anything is sent, when the manifest does not let the province be called.
        let peer = try state.peer(try ProvinceCode(code))
        // A matter that requires a case reference is not asked for without one: the provider would refuse it too.
        let caseReference = try CaseReference.normalized(call.caseReference)
        if let matter = state.matters.first(where: { $0.code == call.matter }) { try CaseReference.require(caseReference, for: matter) }
        let start = ContinuousClock.now
        let response: PeerResponse
        let answer: OutboundAnswer
        do { (response, answer) = try await runtime.peerClient.call(call, to: peer) } catch {
            // No answer (unreachable, timeout, open circuit, refused signature): counted with the status the caller gets.
            state.metrics.exchange(peer: peer.code.rawValue, endpoint: call.endpoint, direction: .outbound, status: error.code.status,
                                   duration: ContinuousClock.now - start, wireBytes: 0, uncompressedBytes: 0, records: 0)
            throw error
        }
        let elapsed = ContinuousClock.now - start
        state.metrics.exchange(peer: peer.code.rawValue, endpoint: call.endpoint, direction: .outbound, status: response.status, duration: elapsed,
                               wireBytes: response.wireBytes, uncompressedBytes: response.body.count, records: answer.records)
        let requester = call.requester
        let allowed = response.status == 200
        let algorithm = state.store.auditHash
        try await state.appendAudit(AuditEntry(
            direction: .outbound, requestId: response.requestID, peer: peer.code.rawValue, endpoint: call.endpoint,
            departmentCode: requester.departmentCode, departmentName: requester.departmentName, operatorId: requester.operatorId,
            matter: call.matter, resource: call.resource, subjectCount: call.subjects.count,
            subjectDigest: AuditChain.subjectDigest(call.subjects, secret: state.auditSecret, algorithm: algorithm),
            fields: allowed ? answer.fields : [], decision: allowed ? "allow" : "deny",
            reasonCode: answer.reasonCode, status: response.status, requestSignature: response.requestSignature,
            responseSignature: response.responseSignature, bytes: response.body.count,
            latencyMilliseconds: Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15,
            hashAlgorithm: algorithm.entryLabel, caseReference: caseReference))
        return Reply(peer: peer.code, status: response.status, requestId: response.requestID, answer: answer, body: response.body)
    }
}
