import Foundation

/// `POST /v1/verify`: confirm or deny claims about one subject without disclosing any value.
public struct VerifyRequest: Codable, Sendable, Equatable {
    public var resource: String
    public var matter: String
    public var requester: Requester
    public var subject: String
    public var claims: [String: String]
    /// The case (办件编号) the answer is used for, recorded in both audits; required by a matter that says so.
    public var caseReference: String?

    public init(resource: String, matter: String, requester: Requester, subject: String, claims: [String: String], caseReference: String? = nil) {
        self.resource = resource
        self.matter = matter
        self.requester = requester
        self.subject = subject
        self.claims = claims
        self.caseReference = caseReference
    }
}

extension VerifyRequest: PlainJSONDecodable {
    public init?(plainJSON json: JSONValue) {
        guard let members = json.plainMembers(required: ["resource", "matter", "requester", "subject", "claims"], optional: ["caseReference"]),
              let resource = members["resource"]?.plainString, let matter = members["matter"]?.plainString,
              let requester = members["requester"].flatMap(Requester.init(plainJSON:)),
              let subject = members["subject"]?.plainString,
              case .object(let claimValues)? = members["claims"] else { return nil }
        var claims: [String: String] = [:]
        for (name, value) in claimValues {
            guard let text = value.plainString else { return nil }
            claims[name] = text
        }
        var caseReference: String?
        switch members["caseReference"] {
        case nil, .null?: caseReference = nil
        case let value?:
            guard let text = value.plainString else { return nil }
            caseReference = text
        }
        self.init(resource: resource, matter: matter, requester: requester, subject: subject, claims: claims, caseReference: caseReference)
    }
}
