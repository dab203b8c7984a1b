import Foundation

/// The sharing policy (政务数据共享条例; 暂行办法 2016) as a pure function from a request to a decision:
/// 不予共享 never; 无条件共享 for any member, limited to the matter's fields; 有条件共享 only under an active
/// grant, limited to its fields. Sensitive fields are masked unless the grant allows them in clear.
public enum Policy {
    /// `caseReference` is the request's, as sent: a matter that requires one refuses a request without it.
    public static func decide(resource: CatalogueResource?, resourceCode: String, matterCode: String, matters: [Matter],
                              requestedFields: [String]?, caseReference: String?, peer: ProvinceCode, grants: [Grant],
                              now: Date = Date()) -> PolicyDecision {
        guard let matter = matters.first(where: { $0.code == matterCode }) else {
            return .deny(.matterUnknown, "no matter \(matterCode) in the registry")
        }
        do { try CaseReference.require(try CaseReference.normalized(caseReference), for: matter) } catch {
            return .deny(error.code, error.message)
        }
        guard let resource else {
            return .deny(.resourceUnknown, "no resource \(resourceCode) in this province's directory")
        }
        guard let needed = matter.needs[resource.code] else {
            return .deny(.matterNotApplicable, "matter \(matter.code) (\(matter.name)) does not need resource \(resource.code)")
        }
        let known = needed.filter { resource.field($0) != nil }
        let wanted = requestedFields ?? known
        if let stray = wanted.first(where: { !known.contains($0) }) {
            guard resource.field(stray) != nil else { return .deny(.policyFields, "field \(stray) does not exist in resource \(resource.code)") }
            return .deny(.policyFields, "field \(stray) is not needed by matter \(matter.code)")
        }
        func masked(_ fields: [String], clear: [String]) -> [String] {
            fields.filter { resource.field($0)?.sensitive == true && !clear.contains($0) }
        }
        switch resource.sharing.type {
        case .none:
            return .deny(.policyNotShared, "resource \(resource.code) is not shared (不予共享)")
        case .unconditional:
            return .allow("tongban.policy.unconditional", "unconditionally shared (无条件共享) for matter \(matter.code)",
                          fields: wanted, masked: masked(wanted, clear: []))
        case .conditional:
            let active = grants.filter { $0.peer == peer.rawValue && $0.resource == resource.code && $0.matter == matter.code && $0.isActive(at: now) }
            if requestedFields == nil, let grant = active.first {
                // Nothing asked for in particular: what the matter needs, within the grant.
                let fields = known.filter(grant.fields.contains)
                return .allow("tongban.policy.grant", "conditionally shared under grant \(grant.id)", fields: fields,
                              masked: masked(fields, clear: grant.clearFields), grantId: grant.id)
            }
            guard let grant = active.first(where: { grant in wanted.allSatisfy(grant.fields.contains) }) else {
                if let some = active.first {
                    let outside = wanted.filter { !some.fields.contains($0) }
                    return .deny(.policyFields, "fields \(outside.joined(separator: ", ")) are outside grant \(some.id)")
                }
                return .deny(.policyNoGrant, "resource \(resource.code) is conditionally shared (有条件共享) and province \(peer) holds no active grant for matter \(matter.code)")
            }
            let fields = wanted
            return .allow("tongban.policy.grant", "conditionally shared under grant \(grant.id)", fields: fields,
                          masked: masked(fields, clear: grant.clearFields), grantId: grant.id)
        }
    }
}
