import Foundation
import HTTPTypes
import NIOCore
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanPKI
import TongbanSigning
import TongbanStore

/// A query the peer fast path answers (`PeerFastPath`): every check of the general path passed, in its order of
/// meaning — the caller's TLS identity and its admission by the manifest in force, the request signature (profile,
/// freshness, key of the caller's in the manifest, algorithm accepted, signature, signed `@authority`), the request id,
/// the `Content-Digest`, the body as a plain `QueryRequest`, its subjects, the resource and the policy's decision
/// to allow — then the admission limits and the replay cache, the only steps with effects, last.
///
/// `prepare` returns nil whenever anything is not so, before any effect; the general path then takes the request as
/// it came and answers it, refusals included, with their audit entries. The fast path therefore never refuses; what
/// it serves, the general path would serve (the differential tests check it).
struct FastQuery {
    let caller: ProvinceCode
    /// The request as verified, its signature member remembered, for the answer's binding.
    let request: HTTPMessageView
    let requestID: String
    let acceptEncoding: String?
    let answer: [UInt8]
    let records: Int
    /// The inbound entry, missing only what the signed answer adds.
    var draft: AuditEntry

    static func prepare(head: HTTPRequest, body: ByteBuffer, identity: ConnectionIdentity, state: GatewayState) -> FastQuery? {
        let runtime = state.runtime
        let federation = state.federation.current
        let caller = identity.province
        // PeerIdentityMiddleware: the manifest admits this TLS identity, and is in force.
        guard federation.index.admitTLS(province: caller, pin: identity.pin, serial: identity.serial) == .admitted,
              (try? state.requireFederationInForce()) != nil else { return nil }
        // RequestSignatureMiddleware.
        let authority = head.authority ?? ""
        let fields = head.headerFields.map { (name: $0.name.canonicalName, value: $0.value) }
        var view = HTTPMessageView.request(method: head.method.rawValue, scheme: "https", authority: authority, target: head.path ?? "",
                                           fields: fields)
        guard body.readableBytes > 0,
              let verified = try? RequestVerification.signature(of: view, hasBody: true, authority: authority, caller: caller,
                                                                runtime: runtime, federation: federation),
              !state.replays.contains(verified.requestID, from: caller),
              (try? RequestVerification.digest(of: view, body: body.readableBytesView)) != nil else { return nil }
        let (uuid, signature) = (verified.requestID, verified.signature)
        let requestID = view.field(TongbanProfile.requestIDField) ?? ""
        // ExchangeHandlers.query.
        guard let query = body.withUnsafeReadableBytes({ JSONValue.parseUnambiguous($0) }).flatMap(QueryRequest.init(plainJSON:)),
              let subjects = try? ExchangeHandlers.subjects(of: query, maximum: runtime.configuration.maxSubjectsPerQuery),
              let resource = state.catalogue.resourceNow(query.resource), let grants = state.store.cachedGrants else { return nil }
        let decision = Policy.decide(resource: resource, resourceCode: query.resource, matterCode: query.matter, matters: state.matters,
                                     requestedFields: query.fields, caseReference: query.caseReference, peer: caller, grants: grants)
        let ascending = ExchangeHandlers.lookupOrder(subjects)
        guard decision.outcome == .allow,
              let (answer, records) = try? ExchangeHandlers.answerNow(subjects: subjects, ascending: ascending, decision: decision,
                                                                      resource: resource, store: state.store) else { return nil }
        // The effects, last: a limit that refuses, or an id another request took meanwhile, leaves the request to the
        // general path with nothing changed.
        guard case .admit = state.limits.admit(caller) else { return nil }
        guard state.replays.record(uuid, from: caller) else {
            state.limits.release()
            return nil
        }
        SignatureFields.rememberSignatureMember(label: TongbanProfile.label, signature: signature, in: &view)
        let draft = ExchangeHandlers.draft(
            state: state, requestID: requestID, caller: caller,
            requestSignature: (view.field(SignatureFields.inputName) ?? "") + " " + (view.field(SignatureFields.signatureName) ?? ""),
            endpoint: "query", requester: query.requester, matter: query.matter, resource: query.resource, subjects: ascending,
            caseReference: query.caseReference, decision: decision)
        return FastQuery(caller: caller, request: view, requestID: UUIDText.lowercased(uuid),
                         acceptEncoding: head.headerFields[.acceptEncoding], answer: answer, records: records, draft: draft)
    }
}
