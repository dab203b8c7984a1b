import Crypto
import Foundation
import NIOHTTP1
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanStore

/// The audit entries of the application workflow. They share the exchanges' chain and shape: `endpoint` is
/// `applications/ID` (so every entry of one application is found by its id, on both sides), `decision` the state
/// the application reached (`submitted`, `approved`, …) or `deny` for a refusal, `reasonCode`
/// `tongban.application.STATE` or the refusal's problem code, `subjectCount` 0 and `subjectDigest` the SHA-256 of
/// the submission as signed (its purpose and basis included; docs/protocol.md, "The audit chain").
enum ApplicationAudit {
    static func endpoint(_ id: String) -> String { "applications/" + id }

    static func digest(_ body: Data) -> String { SHA256.hash(data: body).hexString }

    static func reasonCode(_ state: ApplicationState) -> String { "tongban.application." + state.rawValue }

    /// A change made here without a peer call (a decision, an expiry): a fresh request id, no signatures — the
    /// signed message that carries it to the peer is audited when it is sent.
    static func transition(_ application: SharingApplication, operatorId: String?) -> AuditEntry {
        AuditEntry(
            direction: application.direction == .incoming ? .inbound : .outbound, requestId: UUIDText.lowercased(UUIDText.timeOrdered()),
            peer: application.peer, endpoint: endpoint(application.id), departmentCode: application.requester.departmentCode,
            departmentName: application.requester.departmentName, operatorId: operatorId ?? application.requester.operatorId,
            matter: application.matter, resource: application.resource, subjectCount: 0, subjectDigest: application.documentDigest,
            fields: application.grant?.fields ?? [], decision: application.state.rawValue, reasonCode: reasonCode(application.state), status: 200,
            requestSignature: "", responseSignature: "", bytes: 0, latencyMilliseconds: 0)
    }

    /// A signed call this gateway made to a peer about an application, with the peer's answer.
    static func call(_ response: PeerResponse, peer: String, id: String, requester: Requester, matter: String, resource: String, digest: String,
                     fields: [String], decision: String, reasonCode: String, elapsed: Duration) -> AuditEntry {
        AuditEntry(
            direction: .outbound, requestId: response.requestID, peer: peer, endpoint: endpoint(id), departmentCode: requester.departmentCode,
            departmentName: requester.departmentName, operatorId: requester.operatorId, matter: matter, resource: resource, subjectCount: 0,
            subjectDigest: digest, fields: fields, decision: decision, reasonCode: reasonCode, status: response.status,
            requestSignature: response.requestSignature, responseSignature: response.responseSignature, bytes: response.body.count,
            latencyMilliseconds: Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
    }

    /// The refusal a peer's answer carries, as this gateway's error (its code kept only when it is one of the table).
    static func refusal(_ response: PeerResponse, peer: PeerEndpoint) -> TongbanError {
        PeerClient.refusal(peer, status: response.status, body: response.body)
    }
}
