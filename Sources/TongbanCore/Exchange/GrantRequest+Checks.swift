import Foundation

extension GrantRequest {
    /// Days a grant may last: at least one (0 made a grant that had expired when it was made), at most ten years.
    public static let validDays = 1...3650

    /// The grant this request makes on `province`'s gateway, or why it could never be used: not for a configured
    /// peer (nor this province itself), for no time, on a resource the policy serves without a grant (无条件共享)
    /// or never serves (不予共享), on a field the resource lacks or the matter does not need, a field in clear that
    /// is not granted or never masked. No `fields` means every field the matter needs that the resource has.
    /// Overlapping active grants are the store's to refuse, in the transaction that adds this one.
    public func grant(id: String, resource: CatalogueResource?, matters: [Matter], province: ProvinceCode, peers: [ProvinceCode],
                      now: Date = Date()) throws(TongbanError) -> Grant {
        let peer = try ProvinceCode(self.peer)
        guard peer != province else {
            throw TongbanError(.requestInvalid, "province \(peer) is this gateway's own province: a grant is for a peer")
        }
        guard peers.contains(peer) else {
            throw TongbanError(.peerUnknown,
                               "province \(peer) is not a configured peer: it cannot call this gateway, so a grant for it could never be used")
        }
        guard Self.validDays.contains(days) else {
            throw TongbanError(.requestInvalid, "a grant lasts \(Self.validDays.lowerBound) to \(Self.validDays.upperBound) days, not \(days)")
        }
        guard let resource else { throw TongbanError(.notFound, "no resource \(self.resource) in this province's directory") }
        switch resource.sharing.type {
        case .conditional: break
        case .none:
            throw TongbanError(.requestInvalid,
                               "resource \(resource.code) is 不予共享 (none): it is never served, so a grant for it could never be used")
        case .unconditional:
            throw TongbanError(.requestInvalid, "resource \(resource.code) is 无条件共享 (unconditional): "
                               + "every peer obtains it for a matter that needs it, without a grant")
        }
        guard let matter = matters.first(where: { $0.code == self.matter }) else { throw TongbanError(.matterUnknown, "no matter \(self.matter)") }
        let needed = (matter.needs[resource.code] ?? []).filter { resource.field($0) != nil }
        guard !needed.isEmpty else { throw TongbanError(.matterNotApplicable, "matter \(matter.code) does not need \(resource.code)") }
        for (index, field) in fields.enumerated() {
            guard resource.field(field) != nil else {
                throw TongbanError(.requestInvalid, "field \(field) does not exist in resource \(resource.code)")
            }
            guard needed.contains(field) else {
                throw TongbanError(.requestInvalid,
                                   "field \(field) is not needed by matter \(matter.code) (it needs \(needed.joined(separator: ", ")))")
            }
            guard !fields[..<index].contains(field) else { throw TongbanError(.requestInvalid, "field \(field) is named twice") }
        }
        let granted = fields.isEmpty ? needed : fields
        for (index, field) in clearFields.enumerated() {
            guard granted.contains(field) else {
                throw TongbanError(.requestInvalid, "field \(field) is not among the granted fields (\(granted.joined(separator: ", "))): "
                                   + "only a granted field can be granted in clear")
            }
            guard resource.field(field)?.sensitive == true else {
                throw TongbanError(.requestInvalid, "field \(field) of resource \(resource.code) is not sensitive: "
                                   + "it is never masked, so granting it in clear changes nothing")
            }
            guard !clearFields[..<index].contains(field) else { throw TongbanError(.requestInvalid, "field \(field) is named twice in clear") }
        }
        return Grant(id: id, peer: peer.rawValue, resource: resource.code, matter: matter.code, fields: granted, clearFields: clearFields,
                     validFrom: now, validUntil: now.addingTimeInterval(Double(days) * 86_400))
    }
}
