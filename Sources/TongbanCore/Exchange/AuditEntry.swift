import Foundation

/// One exchange as both sides record it (条例 2025: requesters keep records of use). Never raw ID numbers:
/// the subjects appear only as an HMAC digest under a province secret. `hash` chains each entry to the one
/// before, so editing, deleting or reordering any row breaks the chain at that row.
public struct AuditEntry: Codable, Sendable, Equatable {
    public enum Direction: String, Codable, Sendable {
        /// A peer asked this province.
        case inbound = "in"
        /// This province asked a peer (the requester's record of use).
        case outbound = "out"
    }

    public var sequence: Int
    public var time: Date
    public var direction: Direction
    public var requestId: String
    public var peer: String
    public var endpoint: String
    public var departmentCode: String
    public var departmentName: String
    public var operatorId: String
    public var matter: String
    public var resource: String
    public var subjectCount: Int
    /// HMAC (hex) of the sorted subjects under the province's audit secret: HMAC-SHA256, or HMAC-SM3 in an `sm3` entry.
    public var subjectDigest: String
    public var fields: [String]
    public var decision: String
    public var reasonCode: String
    public var status: Int
    public var requestSignature: String
    public var responseSignature: String
    public var bytes: Int
    public var latencyMilliseconds: Double
    public var previousHash: String
    public var hash: String
    /// The algorithm of `hash` and `subjectDigest` (`AuditHashAlgorithm.entryLabel`): absent for SHA-256, `sm3` for SM3.
    /// It is part of what the hash covers, so it cannot be changed without breaking the chain.
    public var hashAlgorithm: String?
    /// The case reference (办件编号) the exchange carried: absent when it carried none, so entries written before it
    /// existed keep their hash.
    public var caseReference: String?

    public init(sequence: Int = 0, time: Date = Date(), direction: Direction, requestId: String, peer: String, endpoint: String,
                departmentCode: String, departmentName: String, operatorId: String, matter: String, resource: String,
                subjectCount: Int, subjectDigest: String, fields: [String], decision: String, reasonCode: String, status: Int,
                requestSignature: String, responseSignature: String, bytes: Int, latencyMilliseconds: Double,
                previousHash: String = "", hash: String = "", hashAlgorithm: String? = nil, caseReference: String? = nil) {
        self.sequence = sequence
        self.time = time
        self.direction = direction
        self.requestId = requestId
        self.peer = peer
        self.endpoint = endpoint
        self.departmentCode = departmentCode
        self.departmentName = departmentName
        self.operatorId = operatorId
        self.matter = matter
        self.resource = resource
        self.subjectCount = subjectCount
        self.subjectDigest = subjectDigest
        self.fields = fields
        self.decision = decision
        self.reasonCode = reasonCode
        self.status = status
        self.requestSignature = requestSignature
        self.responseSignature = responseSignature
        self.bytes = bytes
        self.latencyMilliseconds = latencyMilliseconds
        self.previousHash = previousHash
        self.hash = hash
        self.hashAlgorithm = hashAlgorithm
        self.caseReference = caseReference
    }

    /// The bytes the hash covers: every field but `hash`, canonical JSON — byte for byte what `JSONEncoder`
    /// with sorted keys and ISO 8601 dates writes (a test holds the two together), written by hand because
    /// every exchange computes it.
    public var chainedContent: String {
        // One allocation: the entry's fixed part is ≈ 700 bytes, the signatures and fields come on top.
        var out = ""
        out.reserveCapacity(1024 + requestSignature.utf8.count + responseSignature.utf8.count + fields.count * 32)
        out += "{"
        var first = true
        func key(_ name: String) {
            out += first ? "\"" : ",\""
            out += name
            out += "\":"
            first = false
        }
        key("bytes"); out += String(bytes)
        if let caseReference { key("caseReference"); JSONText.appendString(caseReference, to: &out) }
        key("decision"); JSONText.appendString(decision, to: &out)
        key("departmentCode"); JSONText.appendString(departmentCode, to: &out)
        key("departmentName"); JSONText.appendString(departmentName, to: &out)
        key("direction"); JSONText.appendString(direction.rawValue, to: &out)
        key("endpoint"); JSONText.appendString(endpoint, to: &out)
        key("fields"); JSONText.appendStrings(fields, to: &out)
        key("hash"); out += "\"\""
        if let hashAlgorithm { key("hashAlgorithm"); JSONText.appendString(hashAlgorithm, to: &out) }
        key("latencyMilliseconds"); JSONText.appendNumber(latencyMilliseconds, to: &out)
        key("matter"); JSONText.appendString(matter, to: &out)
        key("operatorId"); JSONText.appendString(operatorId, to: &out)
        key("peer"); JSONText.appendString(peer, to: &out)
        key("previousHash"); JSONText.appendString(previousHash, to: &out)
        key("reasonCode"); JSONText.appendString(reasonCode, to: &out)
        key("requestId"); JSONText.appendString(requestId, to: &out)
        key("requestSignature"); JSONText.appendString(requestSignature, to: &out)
        key("resource"); JSONText.appendString(resource, to: &out)
        key("responseSignature"); JSONText.appendString(responseSignature, to: &out)
        key("sequence"); out += String(sequence)
        key("status"); out += String(status)
        key("subjectCount"); out += String(subjectCount)
        key("subjectDigest"); JSONText.appendString(subjectDigest, to: &out)
        key("time"); JSONText.appendString(ISO8601.string(time), to: &out)
        out += "}"
        return out
    }
}
