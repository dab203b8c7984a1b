import Foundation

extension ApplicationSubmission {
    /// The fields this submission asks for, resolved, or why the provider refuses it: an id the caller may not use,
    /// a purpose, basis or contact missing, days out of range, an unknown matter or resource, a matter that does not
    /// need the resource, a resource that needs no application (无条件共享) or is never shared (不予共享), a field the
    /// resource lacks or the matter does not need. The codes are the policy's, so an application is refused for the
    /// same reasons, with the same codes, as a query would be.
    public func check(resource: CatalogueResource?, matters: [Matter], caller: ProvinceCode) throws(TongbanError) -> [String] {
        guard ApplicationID.province(of: id) == caller else {
            throw TongbanError(.requestInvalid, "application id \(id.prefix(40)) is not one of province \(caller)'s (A-\(caller)- and 16 hexadecimal digits)")
        }
        for (name, text) in [("purpose", purpose), ("basis", basis), ("contact", contact)] {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw TongbanError(.requestInvalid, "an application states its \(name); it is empty") }
            guard trimmed.count <= Self.maximumText else {
                throw TongbanError(.requestInvalid, "the \(name) has at most \(Self.maximumText) characters, not \(trimmed.count)")
            }
        }
        guard GrantRequest.validDays.contains(days) else {
            throw TongbanError(.requestInvalid, "an application asks for \(GrantRequest.validDays.lowerBound) to \(GrantRequest.validDays.upperBound) days, not \(days)")
        }
        guard let matter = matters.first(where: { $0.code == self.matter }) else {
            throw TongbanError(.matterUnknown, "no matter \(self.matter) in the registry")
        }
        guard let resource else { throw TongbanError(.resourceUnknown, "no resource \(self.resource) in this province's directory") }
        guard let needed = matter.needs[resource.code] else {
            throw TongbanError(.matterNotApplicable, "matter \(matter.code) (\(matter.name)) does not need resource \(resource.code)")
        }
        switch resource.sharing.type {
        case .conditional: break
        case .unconditional:
            throw TongbanError(.applicationNotNeeded, "resource \(resource.code) is 无条件共享 (unconditional): every member obtains it for a matter "
                               + "that needs it, without an application; query it directly")
        case .none:
            throw TongbanError(.policyNotShared, "resource \(resource.code) is not shared (不予共享): it is never served, so no application can be granted")
        }
        let known = needed.filter { resource.field($0) != nil }
        for (index, field) in fields.enumerated() {
            guard resource.field(field) != nil else { throw TongbanError(.policyFields, "field \(field) does not exist in resource \(resource.code)") }
            guard known.contains(field) else {
                throw TongbanError(.policyFields, "field \(field) is not needed by matter \(matter.code) (it needs \(known.joined(separator: ", ")))")
            }
            guard !fields[..<index].contains(field) else { throw TongbanError(.requestInvalid, "field \(field) is named twice") }
        }
        return fields.isEmpty ? known : fields
    }
}
