import Crypto
import Foundation
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanStore

/// The audit entries of the correction workflow, in the exchanges' shape: `endpoint` is `corrections/ID` (every entry
/// of one correction is found by its id, on both sides), `resource` the record's resource, `fields` the one field
/// flagged, `subjectCount` 1 and `subjectDigest` the HMAC of the subject under the province's audit key — never the
/// subject, the values seen or claimed, or the evidence; `decision` the state reached (`submitted`, `corrected`, …) or
/// `deny` for a refusal, `reasonCode` `tongban.correction.STATE` or the refusal's code.
enum CorrectionAudit {
    static func endpoint(_ id: String) -> String { "corrections/" + id }

    static func digest(_ body: Data) -> String { SHA256.hash(data: body).hexString }

    static func reasonCode(_ state: CorrectionState) -> String { "tongban.correction." + state.rawValue }

    /// The subject's HMAC digest, and the algorithm it was made with, as an exchange's entry has them.
    static func subject(_ subject: String, state: GatewayState) -> (digest: String, algorithm: AuditHashAlgorithm) {
        let algorithm = state.store.auditHash
        return (AuditChain.subjectDigest([subject], secret: state.auditSecret, algorithm: algorithm), algorithm)
    }

    /// A change made here without a peer call (an outcome): a fresh request id, no signatures — the signed message
    /// that carries it to the peer is audited when it is sent.
    static func transition(_ correction: Correction, operatorId: String?, state: GatewayState) -> AuditEntry {
        let subject = subject(correction.subject, state: state)
        return AuditEntry(
            direction: correction.direction == .incoming ? .inbound : .outbound, requestId: UUIDText.lowercased(UUIDText.timeOrdered()),
            peer: correction.peer, endpoint: endpoint(correction.id), departmentCode: correction.requester.departmentCode,
            departmentName: correction.requester.departmentName, operatorId: operatorId ?? correction.requester.operatorId, matter: "",
            resource: correction.resource, subjectCount: 1, subjectDigest: subject.digest, fields: [correction.field],
            decision: correction.state.rawValue, reasonCode: reasonCode(correction.state), status: 200, requestSignature: "", responseSignature: "",
            bytes: 0, latencyMilliseconds: 0, hashAlgorithm: subject.algorithm.entryLabel)
    }

    /// A signed call this gateway made to a peer about a correction, with the peer's answer.
    static func call(_ response: PeerResponse, peer: String, id: String, requester: Requester, resource: String, subject: String, field: String,
                     decision: String, reasonCode: String, elapsed: Duration, state: GatewayState) -> AuditEntry {
        let digest = self.subject(subject, state: state)
        return AuditEntry(
            direction: .outbound, requestId: response.requestID, peer: peer, endpoint: endpoint(id), departmentCode: requester.departmentCode,
            departmentName: requester.departmentName, operatorId: requester.operatorId, matter: "", resource: resource, subjectCount: 1,
            subjectDigest: digest.digest, fields: [field], decision: decision, reasonCode: reasonCode, status: response.status,
            requestSignature: response.requestSignature, responseSignature: response.responseSignature, bytes: response.body.count,
            latencyMilliseconds: Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15,
            hashAlgorithm: digest.algorithm.entryLabel)
    }
}
