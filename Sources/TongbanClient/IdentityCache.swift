import TongbanCore

/// The verified identities of peers, by province.
actor IdentityCache {
    private var identities: [ProvinceCode: VerifiedIdentity] = [:]

    func identity(for province: ProvinceCode) -> VerifiedIdentity? { identities[province] }

    func all() -> [ProvinceCode: VerifiedIdentity] { identities }

    func store(_ identity: VerifiedIdentity, for province: ProvinceCode) { identities[province] = identity }
}
