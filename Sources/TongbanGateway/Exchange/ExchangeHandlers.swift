import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TongbanConfig
import TongbanCore
import TongbanSigning
import TongbanStore

/// `POST /v1/query` and `POST /v1/verify` on the peer listener: decode, decide the policy as a value,
/// answer only what it allows (masked where it says), and leave an audit draft for the response signer.
enum ExchangeHandlers {
    static func query(_ request: Request, context: PeerRequestContext, state: GatewayState) async throws -> Response {
        let query: QueryRequest = try await decode(request, as: QueryRequest.self, state: state)
        let subjects = try subjects(of: query, maximum: state.configuration.maxSubjectsPerQuery)
        // One look-up of the resource for the decision and the answer: a reload in between cannot split them.
        let resource = await state.catalogue.resource(query.resource)
        let decision = try await decide(resource: resource, code: query.resource, matter: query.matter, fields: query.fields,
                                        caseReference: query.caseReference, context: context, state: state)
        let ascending = lookupOrder(subjects)
        try record(context, state: state, endpoint: "query", requester: query.requester, matter: query.matter, resource: query.resource,
                   subjects: ascending, caseReference: query.caseReference, decision: decision)
        guard decision.outcome == .allow, let resource else { throw decision.refusal }
        let found = try await state.store.records(resource: resource.code, subjects: ascending)
        let (body, records) = answer(subjects: subjects, found: found, decision: decision, resource: resource)
        context.audit?.records = records
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A query's subjects, checked: 1 to `maximum` of them, each a valid citizen ID number (in its 18-character form).
    /// A subject named twice (another implementation's request; this gateway's callers cannot send one) is answered
    /// once, in its first place, and counted once in the audit.
    static func subjects(of query: QueryRequest, maximum: Int) throws -> [String] {
        guard (1...maximum).contains(query.subjects.count) else {
            throw Problem(.querySubjects, detail: "a query names 1 to \(maximum) subjects, not \(query.subjects.count)")
        }
        var subjects = try validSubjects(query.subjects)
        if subjects.count > 1 {
            var seen = Set<String>(minimumCapacity: subjects.count)
            subjects = subjects.filter { seen.insert($0).inserted }
        }
        return subjects
    }

    /// The subjects in ascending order, sorted once for two uses: the store reads them in it (each lookup then starts
    /// where the last one ended in the records' index, most pages already in cache) and the audit's subject digest
    /// takes them in it (`AuditChain.subjectDigest` then need not sort). The answer keeps the request's order.
    static func lookupOrder(_ subjects: [String]) -> [String] {
        subjects.count > 1 ? subjects.sorted() : subjects
    }

    /// The answer to an allowed query, and how many records it carries, from the records the general path read
    /// (`ProvinceStore.records`).
    static func answer(subjects: [String], found: [String: StoredRecord], decision: PolicyDecision,
                       resource: CatalogueResource) -> (body: [UInt8], records: Int) {
        answer(subjects: subjects, readIn: subjects, decision: decision, resource: resource) { StoredRecord.visit(found, in: subjects, $0) }
    }

    /// The fast path's answer: the records read in `lookupOrder` (`ascending`) straight from the store's bytes
    /// (`ProvinceStore.visitRecordsNow`: no `String`, `StoredRecord` or dictionary entry per record).
    static func answerNow(subjects: [String], ascending: [String], decision: PolicyDecision, resource: CatalogueResource,
                          store: any ProvinceStore) throws(TongbanError) -> (body: [UInt8], records: Int) {
        try answer(subjects: subjects, readIn: ascending, decision: decision, resource: resource) { visit throws(TongbanError) in
            try store.visitRecordsNow(resource: resource.code, subjects: ascending, visit)
        }
    }

    /// The answer's text, in the shape `QueryResponse` decodes (sorted keys, ISO 8601 dates), stored values copied as
    /// they are: the benchmark showed `Codable`, then a dictionary per record, were most of a batch's cost.
    ///
    /// `read` hands each found record of `order` (the subjects, distinct, in the order the store reads them) to its
    /// visitor: its place in `order`, its stored fields' UTF-8 and its time. The records are written as they come,
    /// then put in the request's order. A record whose stored text is no JSON object is left out, and not listed as
    /// not found.
    static func answer<E: Error>(subjects: [String], readIn order: [String], decision: PolicyDecision, resource: CatalogueResource,
                                 read: ((Int, UnsafeBufferPointer<UInt8>, Date) -> Void) throws(E) -> Void) throws(E) -> (body: [UInt8], records: Int) {
        var projection = RecordProjection(fields: Set(decision.fields), masked: Set(decision.masked), resource: resource)
        // Each found subject's record text in `written`, by its place in `order`: nil when not found, empty when its
        // stored text is no JSON object.
        var written: [UInt8] = []
        written.reserveCapacity(order.count * 320)
        var spans = [Range<Int>?](repeating: nil, count: order.count)
        try read { index, fields, updatedAt in
            let mark = written.count
            if !projection.append(fields: fields, updatedAt: updatedAt, subject: order[index], to: &written) {
                written.removeSubrange(mark...)
            }
            spans[index] = mark..<written.count
        }
        var inRequestOrder = spans
        if subjects.count > 1, order != subjects {
            var position: [String: Int] = [:]
            position.reserveCapacity(order.count)
            for (index, subject) in order.enumerated() { position[subject] = index }
            inRequestOrder = subjects.map { position[$0].flatMap { spans[$0] } }
        }
        var body: [UInt8] = []
        body.reserveCapacity(128 + written.count + subjects.count)
        body += #"{"notFound":"#.utf8
        JSONText.appendStrings(zip(subjects, inRequestOrder).compactMap { $1 == nil ? $0 : nil }, to: &body)
        body += #","records":["#.utf8
        var records = 0
        for case let span? in inRequestOrder where !span.isEmpty {
            if records > 0 { body.append(0x2C) }
            body += written[span]
            records += 1
        }
        body += #"],"resource":"#.utf8
        JSONText.appendString(resource.code, to: &body)
        body.append(0x7D)
        return (body, records)
    }

    static func verify(_ request: Request, context: PeerRequestContext, state: GatewayState) async throws -> Response {
        let verify: VerifyRequest = try await decode(request, as: VerifyRequest.self, state: state)
        guard !verify.claims.isEmpty else { throw Problem(.requestInvalid, detail: "no claims to verify") }
        let subject = try validSubjects([verify.subject])[0]
        let resource = await state.catalogue.resource(verify.resource)
        let decision = try await decide(resource: resource, code: verify.resource, matter: verify.matter, fields: verify.claims.keys.sorted(),
                                        caseReference: verify.caseReference, context: context, state: state)
        try record(context, state: state, endpoint: "verify", requester: verify.requester, matter: verify.matter, resource: verify.resource,
                   subjects: [subject], caseReference: verify.caseReference, decision: decision)
        guard decision.outcome == .allow, let resource else { throw decision.refusal }
        let stored = try await state.store.records(resource: resource.code, subjects: [subject])[subject]
        let all: [String: JSONValue]
        if let stored, case .object(let object)? = try? JSONValue.parse(stored.fieldsJSON) { all = object } else { all = [:] }
        context.audit?.records = stored == nil ? 0 : 1
        var results: [String: Bool] = [:]
        for (field, claim) in verify.claims { results[field] = all[field].map { Self.text($0) == claim } ?? false }
        return try JSONResponse(VerifyResponse(subject: subject, results: results, found: stored != nil)).response(from: request, context: context)
    }

    static func decide(resource: CatalogueResource?, code: String, matter: String, fields: [String]?, caseReference: String?,
                       context: PeerRequestContext, state: GatewayState) async throws -> PolicyDecision {
        guard let caller = context.peerProvince else { throw Problem(.identityMissing, detail: "no calling province") }
        return Policy.decide(resource: resource, resourceCode: code, matterCode: matter, matters: state.matters, requestedFields: fields,
                             caseReference: caseReference, peer: caller, grants: try await state.store.grants())
    }

    /// The subjects as GB 11643 numbers in their 18-character form (a legacy 15-digit number is converted, as
    /// import converts it); the first that is not a valid number refuses the request with its position, never
    /// its value (the value is personal data, and the caller knows what it sent).
    static func validSubjects(_ subjects: [String]) throws -> [String] {
        let today = CitizenID.dateNumber(Date())
        var valid: [String] = []
        valid.reserveCapacity(subjects.count)
        for (index, subject) in subjects.enumerated() {
            do { valid.append(try CitizenID(subject, todayNumber: today).value) } catch {
                throw Problem(.subjectInvalid, detail: "subject \(index + 1) of \(subjects.count) is not a valid citizen ID number "
                              + "(\(error.citizenIDFailure?.rawValue ?? "format"))")
            }
        }
        return valid
    }

    static func record(_ context: PeerRequestContext, state: GatewayState, endpoint: String, requester: Requester, matter: String,
                       resource: String, subjects: [String], caseReference: String?, decision: PolicyDecision) throws {
        context.audit?.draft = draft(
            state: state, requestID: context.signedRequest?.view.field(TongbanProfile.requestIDField) ?? "", caller: context.peerProvince,
            requestSignature: context.signedRequest.map { ($0.view.field(SignatureFields.inputName) ?? "") + " " + ($0.view.field(SignatureFields.signatureName) ?? "") } ?? "",
            endpoint: endpoint, requester: requester, matter: matter, resource: resource, subjects: subjects, caseReference: caseReference,
            decision: decision)
    }

    /// The inbound entry of one exchange before its answer is signed (status, response signature, bytes and
    /// latency are filled in by the response signer).
    static func draft(state: GatewayState, requestID: String, caller: ProvinceCode?, requestSignature: String, endpoint: String,
                      requester: Requester, matter: String, resource: String, subjects: [String], caseReference: String?,
                      decision: PolicyDecision) -> AuditEntry {
        let algorithm = state.store.auditHash
        let digest = AuditChain.subjectDigest(subjects, secret: state.auditSecret, algorithm: algorithm)
        return AuditEntry(
            direction: .inbound, requestId: requestID, peer: caller?.rawValue ?? "",
            endpoint: endpoint, departmentCode: requester.departmentCode, departmentName: requester.departmentName, operatorId: requester.operatorId,
            matter: matter, resource: resource, subjectCount: subjects.count, subjectDigest: digest,
            fields: decision.outcome == .allow ? decision.fields : [], decision: decision.outcome.rawValue, reasonCode: decision.code,
            status: decision.status, requestSignature: requestSignature,
            responseSignature: "", bytes: 0, latencyMilliseconds: 0, hashAlgorithm: algorithm.entryLabel,
            // As sent, when it is one (a malformed one was refused by the policy, and the request is on record by its signature).
            caseReference: (try? CaseReference.normalized(caseReference)) ?? nil)
    }

    static func decode<T: PlainJSONDecodable>(_ request: Request, as type: T.Type, state: GatewayState) async throws -> T {
        // The body was read (capped) and decoded (capped) by the signature check already.
        let body = try await request.body.collect(upTo: state.configuration.maxDecompressedBytes)
        if let value = body.withUnsafeReadableBytes({ JSONValue.parseUnambiguous($0) }).flatMap(T.init(plainJSON:)) { return value }
        return try RequestJSON.decode(T.self, from: body, what: "a valid \(T.self)")
    }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): s
        case .integer(let i): String(i)
        case .number(let d): String(d)
        case .bool(let b): b ? "true" : "false"
        default: value.canonicalText
        }
    }
}
